package io.jenkins.plugins.amifactory.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.TrackedImagesFile;
import io.amifactory.engine.track.TrackedImagesLoader;
import io.jenkins.plugins.amifactory.forms.EngineChecks;
import io.jenkins.plugins.amifactory.forms.FormText;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins → System → "AMI Factory": the tracked images, how often they are checked and as whom
 * ({@link #getTracking()}), what steps may run as when they name no credentials ({@link #getSteps()}), the
 * default regions, and the emulator endpoint. Administrators only; also configurable with JCasC under
 * {@code unclassified: amiFactory:}. Every value is checked where both the form and JCasC pass (the setters),
 * so neither can store what the other would refuse.
 */
@Extension
@Symbol("amiFactory")
public class AmiFactoryConfiguration extends GlobalConfiguration {
    public static final int MIN_POLL_MINUTES = 5;
    public static final int DEFAULT_POLL_MINUTES = 15;

    private List<TrackedImageConfig> trackedImages = new ArrayList<>();
    private String regions = "";
    private int pollIntervalMinutes = DEFAULT_POLL_MINUTES;
    private AwsIdentity tracking = new AwsIdentity();
    private StepDefaults steps = new StepDefaults();
    private String endpoint = "";

    public AmiFactoryConfiguration() {
        load();
    }

    @NonNull
    public static AmiFactoryConfiguration get() {
        return ExtensionList.lookupSingleton(AmiFactoryConfiguration.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return "AMI Factory";
    }

    /** Fields that an older or hand-edited file left out read as their defaults. */
    protected Object readResolve() {
        if (trackedImages == null) {
            trackedImages = new ArrayList<>();
        }
        if (tracking == null) {
            tracking = new AwsIdentity();
        }
        if (steps == null) {
            steps = new StepDefaults();
        }
        return this;
    }

    @NonNull
    public List<TrackedImageConfig> getTrackedImages() {
        return new ArrayList<>(trackedImages);
    }

    /** @throws ConfigurationException for two images of the same name or one the engine refuses */
    @DataBoundSetter
    public void setTrackedImages(List<TrackedImageConfig> trackedImages) {
        List<TrackedImageConfig> images = trackedImages == null ? new ArrayList<>() : new ArrayList<>(trackedImages);
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            TrackedImageConfig image = images.get(i);
            Integer first = names.putIfAbsent(image.getName(), i + 1);
            if (first != null) {
                throw new ConfigurationException("trackedImages", "tracked images " + first + " and " + (i + 1)
                        + " are both named '" + image.getName() + "'; each name must be unique");
            }
            try {
                image.toEngine(tracking);
            } catch (InputException e) {
                throw new ConfigurationException("trackedImages",
                        "tracked image '" + image.getName() + "': " + e.getMessage());
            }
        }
        this.trackedImages = images;
        save();
    }

    /** Adds or replaces (by name) tracked images, keeping the order of the existing ones. */
    public void mergeTrackedImages(List<TrackedImageConfig> incoming) {
        List<TrackedImageConfig> merged = getTrackedImages();
        for (TrackedImageConfig image : incoming) {
            boolean replaced = false;
            for (int i = 0; i < merged.size(); i++) {
                if (merged.get(i).getName().equals(image.getName())) {
                    merged.set(i, image);
                    replaced = true;
                }
            }
            if (!replaced) {
                merged.add(image);
            }
        }
        setTrackedImages(merged);
    }

    /**
     * The status page's import: reads the pasted YAML with the engine's loader (seed 004's format or our own) and adds
     * the images, replacing configured ones of the same name. It answers like a form check, next to the text: nothing
     * changes when any part is invalid, and the error names the line and field; success says what was added and
     * what replaced.
     */
    @POST
    public FormValidation doImportTrackedImages(@QueryParameter String yaml) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (FormText.isBlank(yaml)) {
            return FormValidation.error("Paste a tracked_images YAML document first.");
        }
        List<TrackedImageConfig> imported = new ArrayList<>();
        try {
            TrackedImagesFile file = TrackedImagesLoader.parse("pasted YAML", yaml);
            for (TrackedImage image : file.images()) {
                imported.add(TrackedImageConfig.fromEngine(image, file.defaultRegions()));
            }
        } catch (InputException e) {
            return FormValidation.error(e.getMessage());
        }
        List<String> configured = getTrackedImages().stream().map(TrackedImageConfig::getName).toList();
        try {
            mergeTrackedImages(imported);
        } catch (ConfigurationException e) {
            return FormValidation.error("Nothing was imported: " + e.getMessage());
        }
        List<String> added = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        imported.forEach(i -> (configured.contains(i.getName()) ? replaced : added).add(i.getName()));
        return FormValidation.ok("Imported " + FormText.count(imported.size(), "tracked image")
                + (added.isEmpty() ? "" : "; added: " + String.join(", ", added))
                + (replaced.isEmpty() ? "" : "; replaced: " + String.join(", ", replaced))
                + ". Reload this page to see them; Check now looks them up at once.");
    }

    /** Default regions of tracked images and steps, separated by spaces or commas. */
    @NonNull
    public String getRegions() {
        return FormText.trimmed(regions);
    }

    @DataBoundSetter
    public void setRegions(String regions) {
        String value = FormText.trimmed(regions);
        try {
            EngineChecks.requireRegions("regions", value);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("regions", e.getMessage());
        }
        this.regions = value;
        save();
    }

    @NonNull
    public List<String> getDefaultRegionList() {
        return FormText.words(regions);
    }

    public int getPollIntervalMinutes() {
        return pollIntervalMinutes;
    }

    /** Minutes between two checks; at least {@value #MIN_POLL_MINUTES} (AWS rate limits, cost). */
    @DataBoundSetter
    public void setPollIntervalMinutes(int pollIntervalMinutes) {
        if (pollIntervalMinutes < MIN_POLL_MINUTES) {
            throw new ConfigurationException("pollIntervalMinutes",
                    "must be at least " + MIN_POLL_MINUTES + " minutes, not " + pollIntervalMinutes);
        }
        this.pollIntervalMinutes = pollIntervalMinutes;
        save();
    }

    /** As whom the poller and "Test lookup" read upstream images (a tracked image may name its own). */
    @NonNull
    public AwsIdentity getTracking() {
        return tracking;
    }

    @DataBoundSetter
    public void setTracking(AwsIdentity tracking) {
        AwsIdentity value = tracking == null ? new AwsIdentity() : tracking;
        validate("tracking", value);
        this.tracking = value;
        save();
    }

    /** What steps and builders that name no credentials run as, if anything. */
    @NonNull
    public StepDefaults getSteps() {
        return steps;
    }

    @DataBoundSetter
    public void setSteps(StepDefaults steps) {
        StepDefaults value = steps == null ? new StepDefaults() : steps;
        validate("steps", value);
        this.steps = value;
        save();
    }

    /** An endpoint override for AWS emulators (e.g. Moto); empty for real AWS. */
    @NonNull
    public String getEndpoint() {
        return FormText.trimmed(endpoint);
    }

    @DataBoundSetter
    public void setEndpoint(String endpoint) {
        String value = FormText.trimmed(endpoint);
        String problem = endpointProblem(value);
        if (problem != null) {
            throw new ConfigurationException("endpoint", problem);
        }
        this.endpoint = value;
        save();
    }

    /**
     * Binds the form in one change: nothing is saved until every value was accepted, and a refused form leaves
     * the previous configuration in memory and on disk.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        Values before = new Values(this);
        try (BulkChange bc = new BulkChange(this)) {
            // A list whose last row was deleted is absent from the form: without the reset it would survive.
            this.trackedImages = new ArrayList<>();
            req.bindJSON(this, json);
            bc.commit();
            return true;
        } catch (ConfigurationException e) {
            before.applyTo(this);
            throw new FormException(formMessage(e.getMessage()), e.field());
        } catch (IOException | RuntimeException e) {
            before.applyTo(this);
            throw new FormException("The AMI Factory configuration was not saved: " + e.getMessage(), e, "trackedImages");
        }
    }

    /** The labels of the System page for the configuration's field paths. */
    private static final Map<String, String> LABELS = Map.of(
            "trackedImages", "Tracked images",
            "regions", "Default regions",
            "pollIntervalMinutes", "Poll interval in minutes",
            "endpoint", "Endpoint override",
            "tracking", "AMI Factory: tracking identity",
            "steps", "AMI Factory: steps",
            "credentialsId", "AWS credentials",
            "roleArn", "Role ARN",
            "externalId", "External id");

    /**
     * What a refused System form shows (Jenkins shows a refused form's message on a page of its own after Save, and
     * as a notification after Apply; it cannot mark the field): the section and field as the page labels them, what
     * is wrong, and that nothing was saved. {@code pollIntervalMinutes: must be at least 5 minutes, not 2} becomes
     * {@code AMI Factory › Poll interval in minutes: must be at least 5 minutes, not 2. Nothing was saved: ...}.
     */
    static String formMessage(String message) {
        int colon = message.indexOf(": ");
        String path = colon < 0 ? "" : message.substring(0, colon);
        String problem = colon < 0 ? message : message.substring(colon + 2);
        StringBuilder where = new StringBuilder();
        for (String part : path.split("\\.")) {
            String label = LABELS.get(part);
            if (label == null) {
                where.setLength(0);
                problem = message;
                break;
            }
            if (where.length() == 0) {
                where.append(label.startsWith("AMI Factory") ? "" : "AMI Factory \u203a ");
            } else {
                where.append(" \u203a ");
            }
            where.append(label);
        }
        return (where.length() == 0 ? "AMI Factory: " : where + ": ") + problem
                + (problem.endsWith(".") ? "" : ".") + " Nothing was saved: go back, correct it and save again.";
    }

    /** The configuration's fields, to put them back when a submitted form is refused. */
    private static final class Values {
        private final List<TrackedImageConfig> trackedImages;
        private final String regions;
        private final int pollIntervalMinutes;
        private final AwsIdentity tracking;
        private final StepDefaults steps;
        private final String endpoint;

        Values(AmiFactoryConfiguration c) {
            trackedImages = new ArrayList<>(c.trackedImages);
            regions = c.regions;
            pollIntervalMinutes = c.pollIntervalMinutes;
            tracking = c.tracking;
            steps = c.steps;
            endpoint = c.endpoint;
        }

        void applyTo(AmiFactoryConfiguration c) {
            c.trackedImages = new ArrayList<>(trackedImages);
            c.regions = regions;
            c.pollIntervalMinutes = pollIntervalMinutes;
            c.tracking = tracking;
            c.steps = steps;
            c.endpoint = endpoint;
        }
    }

    private static void validate(String field, AwsIdentity identity) {
        try {
            identity.validate(field);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(field, e.getMessage());
        }
    }

    private static String endpointProblem(String value) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                return "must be an http(s) URL, for example http://127.0.0.1:5000";
            }
            return null;
        } catch (URISyntaxException e) {
            return "must be an http(s) URL, for example http://127.0.0.1:5000 (" + e.getMessage() + ")";
        }
    }

    @POST
    public FormValidation doCheckRegions(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (FormText.isBlank(value)) {
            return FormValidation.warning("No default regions: every tracked image and step must name its own.");
        }
        return EngineChecks.regions(value);
    }

    @POST
    public FormValidation doCheckPollIntervalMinutes(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        try {
            int minutes = Integer.parseInt(FormText.trimmed(value));
            return minutes < MIN_POLL_MINUTES
                    ? FormValidation.error("At least " + MIN_POLL_MINUTES + " minutes.")
                    : FormValidation.ok();
        } catch (NumberFormatException e) {
            return FormValidation.error("A whole number of minutes.");
        }
    }

    @POST
    public FormValidation doCheckEndpoint(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String trimmed = FormText.trimmed(value);
        String problem = endpointProblem(trimmed);
        if (problem != null) {
            return FormValidation.error(Character.toUpperCase(problem.charAt(0)) + problem.substring(1) + ".");
        }
        return trimmed.isEmpty() ? FormValidation.ok()
                : FormValidation.warning("All AWS calls go to this endpoint: for emulators only.");
    }
}
