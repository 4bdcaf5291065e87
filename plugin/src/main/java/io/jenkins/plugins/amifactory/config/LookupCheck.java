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
import io.jenkins.plugins.amifactory.trigger.LedgerLocation;
import java.util.List;
import java.util.function.Supplier;

/**
 * The "Test lookup" button: resolves a tracked image as the form shows it (unsaved values; empty
 * credentials or role fall back to the saved defaults) in each region, without touching the ledger.
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
                        .append(", created ").append(Util.escape(nonNull(r.creationDate()))).append(')');
            } else {
                anyError = true;
                html.append("error: ").append(Util.escape(nonNull(r.error())));
            }
            html.append("</li>");
        }
        html.append("</ul>");
        return anyError ? FormValidation.warningWithMarkup(html.toString()) : FormValidation.okWithMarkup(html.toString());
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
