package io.jenkins.plugins.amifactory.config;

import hudson.Util;
import hudson.util.FormValidation;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.track.ImageSource;
import io.amifactory.engine.track.Resolution;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.Tracker;
import io.jenkins.plugins.amifactory.aws.AwsConnector;
import io.jenkins.plugins.amifactory.forms.EngineChecks;
import io.jenkins.plugins.amifactory.forms.FormText;
import io.jenkins.plugins.amifactory.forms.PageTimes;
import io.jenkins.plugins.amifactory.trigger.LedgerLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The "Test lookup" button: resolves a tracked image as the form shows it (its unsaved values) in each region,
 * without touching the ledger. What the image leaves empty (regions, credentials, role) and the endpoint come from
 * the configuration as saved: a button sends only the fields near it, and the page's default regions and tracking
 * identity have the same field names as the image's own. The answer says which saved defaults it used.
 */
final class LookupCheck {
    private LookupCheck() {
    }

    static FormValidation run(String name, Supplier<ImageSource> source, String regions, String credentialsId,
                              String roleArn, String externalId) {
        AmiFactoryConfiguration defaults = AmiFactoryConfiguration.get();
        TrackedImageConfig form;
        TrackedImage image;
        try {
            form = new TrackedImageConfig(FormText.isBlank(name) ? EngineChecks.PLACEHOLDER_NAME : name,
                    new FixedSource(source.get()));
            form.setRegions(regions);
            form.setCredentialsId(credentialsId);
            form.setRoleArn(roleArn);
            form.setExternalId(externalId);
            image = form.toEngine(defaults.getTracking());
        } catch (InputException e) {
            return FormValidation.error(e.getMessage());
        }
        if (image.regions().isEmpty() && defaults.getDefaultRegionList().isEmpty()) {
            return FormValidation.error("No region to look in: list regions here or set default regions.");
        }
        List<Resolution> resolutions;
        try (AwsClients clients = AwsConnector.forSystem(form.effectiveCredentialsId(defaults.getTracking()))) {
            Tracker tracker = new Tracker(clients, LedgerLocation.open(), ProgressListener.NONE);
            resolutions = tracker.lookup(image, defaults.getDefaultRegionList());
        } catch (RuntimeException e) {
            return FormValidation.error("Lookup failed: " + e.getMessage());
        }
        StringBuilder html = new StringBuilder("<ul>");
        boolean anyError = false;
        for (Resolution r : resolutions) {
            html.append("<li><b>").append(Util.escape(r.region())).append("</b>: ");
            if (r.ok()) {
                html.append(Util.escape(r.imageId()))
                        .append(" (").append(Util.escape(nonNull(r.imageName())))
                        .append(", created ").append(Util.escape(PageTimes.dateTime(r.creationDate()))).append(')');
            } else {
                anyError = true;
                html.append("error: ").append(Util.escape(nonNull(r.error())));
            }
            html.append("</li>");
        }
        html.append("</ul>");
        String saved = savedDefaults(form, image, defaults);
        if (!saved.isEmpty()) {
            html.append("<p>").append(Util.escape(saved)).append("</p>");
        }
        return anyError ? FormValidation.warningWithMarkup(html.toString()) : FormValidation.okWithMarkup(html.toString());
    }

    /** Which saved defaults the lookup used, as one sentence; empty when it used none. */
    private static String savedDefaults(TrackedImageConfig form, TrackedImage image, AmiFactoryConfiguration saved) {
        List<String> used = new ArrayList<>();
        if (image.regions().isEmpty()) {
            used.add("Default regions " + String.join(" ", saved.getDefaultRegionList()));
        }
        AwsIdentity tracking = saved.getTracking();
        boolean trackingRole = FormText.isBlank(form.getRoleArn()) && !tracking.getRoleArn().isEmpty();
        if (FormText.isBlank(form.getCredentialsId())) {
            used.add("tracking identity (" + AwsIdentity.describe(tracking.getCredentialsId(),
                    FormText.isBlank(form.getRoleArn()) ? tracking.getRoleArn() : form.getRoleArn()) + ")");
        } else if (trackingRole) {
            used.add("tracking identity's role " + tracking.getRoleArn());
        }
        if (!saved.getEndpoint().isEmpty()) {
            used.add("endpoint override " + saved.getEndpoint());
        }
        return used.isEmpty() ? "" : "With the saved " + String.join(", ", used)
                + ". Changes to those on this page apply to Test lookup once saved.";
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** An already-built engine source, so the form's values go through the same path as saved ones. */
    private static final class FixedSource extends ImageSourceConfig {
        private final ImageSource source;

        FixedSource(ImageSource source) {
            this.source = source;
        }

        @Override
        public ImageSource toEngine() {
            return source;
        }
    }
}
