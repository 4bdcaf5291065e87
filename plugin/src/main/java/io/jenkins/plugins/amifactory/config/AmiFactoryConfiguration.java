package io.jenkins.plugins.amifactory.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.amifactory.engine.input.InputException;
import io.jenkins.plugins.amifactory.forms.EngineChecks;
import io.jenkins.plugins.amifactory.forms.FormText;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins → System → "AMI Factory": the tracked images and the AWS defaults the poller (and,
 * later, the build steps) use. Administrators only; also configurable with JCasC under
 * {@code unclassified: amiFactory:}.
 */
@Extension
@Symbol("amiFactory")
public class AmiFactoryConfiguration extends GlobalConfiguration {
    public static final int MIN_POLL_MINUTES = 5;
    public static final int DEFAULT_POLL_MINUTES = 15;

    private List<TrackedImageConfig> trackedImages = new ArrayList<>();
    private String credentialsId = "";
    private String roleArn = "";
    private String externalId = "";
    private String regions = "";
    private int pollIntervalMinutes = DEFAULT_POLL_MINUTES;
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

    public List<TrackedImageConfig> getTrackedImages() {
        return trackedImages == null ? new ArrayList<>() : new ArrayList<>(trackedImages);
    }

    @DataBoundSetter
    public void setTrackedImages(List<TrackedImageConfig> trackedImages) {
        this.trackedImages = trackedImages == null ? new ArrayList<>() : new ArrayList<>(trackedImages);
        save();
    }

    /** Default AWS credentials (aws-credentials id); empty = the controller's default chain. */
    public String getCredentialsId() {
        return nonNull(credentialsId);
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = trim(credentialsId);
        save();
    }

    public String getRoleArn() {
        return nonNull(roleArn);
    }

    @DataBoundSetter
    public void setRoleArn(String roleArn) {
        this.roleArn = trim(roleArn);
        save();
    }

    public String getExternalId() {
        return nonNull(externalId);
    }

    @DataBoundSetter
    public void setExternalId(String externalId) {
        this.externalId = trim(externalId);
        save();
    }

    /** Default regions, separated by spaces or commas. */
    public String getRegions() {
        return nonNull(regions);
    }

    @DataBoundSetter
    public void setRegions(String regions) {
        this.regions = trim(regions);
        save();
    }

    public List<String> getDefaultRegionList() {
        return FormText.words(regions);
    }

    public int getPollIntervalMinutes() {
        return Math.max(MIN_POLL_MINUTES, pollIntervalMinutes);
    }

    /** Minutes between two checks; values below the minimum are raised to it (AWS rate limits, cost). */
    @DataBoundSetter
    public void setPollIntervalMinutes(int pollIntervalMinutes) {
        this.pollIntervalMinutes = Math.max(MIN_POLL_MINUTES, pollIntervalMinutes);
        save();
    }

    /** An endpoint override for AWS emulators (e.g. Moto); empty for real AWS. */
    public String getEndpoint() {
        return nonNull(endpoint);
    }

    @DataBoundSetter
    public void setEndpoint(String endpoint) {
        this.endpoint = trim(endpoint);
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

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        int poll = json.optInt("pollIntervalMinutes", DEFAULT_POLL_MINUTES);
        if (poll < MIN_POLL_MINUTES) {
            throw new FormException("The poll interval must be at least " + MIN_POLL_MINUTES + " minutes.",
                    "pollIntervalMinutes");
        }
        Values before = new Values(getTrackedImages(), credentialsId, roleArn, externalId, regions, pollIntervalMinutes,
                endpoint);
        // Reset first: a list whose last row was deleted is absent from the form and would otherwise survive.
        new Values(new ArrayList<>(), "", "", "", "", pollIntervalMinutes, "").applyTo(this);
        try {
            req.bindJSON(this, json);
            checkTrackedImages();
        } catch (FormException | RuntimeException e) {
            // The setters have saved as they bound: put the previous configuration back, on disk too.
            before.applyTo(this);
            save();
            throw e;
        }
        save();
        return true;
    }

    /** The configuration's fields, to put them back when a submitted form is refused. */
    private record Values(List<TrackedImageConfig> trackedImages, String credentialsId, String roleArn,
                          String externalId, String regions, int pollIntervalMinutes, String endpoint) {
        void applyTo(AmiFactoryConfiguration c) {
            c.trackedImages = new ArrayList<>(trackedImages);
            c.credentialsId = credentialsId;
            c.roleArn = roleArn;
            c.externalId = externalId;
            c.regions = regions;
            c.pollIntervalMinutes = pollIntervalMinutes;
            c.endpoint = endpoint;
        }
    }

    /** Names unique, every image valid for the engine; the form is refused otherwise. */
    private void checkTrackedImages() throws FormException {
        Set<String> names = new HashSet<>();
        for (TrackedImageConfig image : getTrackedImages()) {
            if (!names.add(image.getName())) {
                throw new FormException("Tracked image '" + image.getName() + "' is configured twice.", "trackedImages");
            }
            try {
                image.toEngine(this);
            } catch (InputException e) {
                throw new FormException("Tracked image '" + image.getName() + "': " + e.getMessage(), "trackedImages");
            }
        }
    }

    @POST
    public FormValidation doCheckCredentialsId(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return TrackedImageConfig.CredentialsCheck.globalCredentials(value,
                "Empty: the controller's own AWS credentials (instance profile, environment) are used.");
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
        return TrackedImageConfig.CredentialsCheck.globalItems(credentialsId);
    }

    @POST
    public FormValidation doCheckRoleArn(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return EngineChecks.roleArn(value);
    }

    @POST
    public FormValidation doCheckExternalId(@QueryParameter String value, @QueryParameter String roleArn) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return EngineChecks.externalId(value, roleArn);
    }

    @POST
    public FormValidation doCheckRegions(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (FormText.isBlank(value)) {
            return FormValidation.warning("No default regions: every tracked image must list its own.");
        }
        return EngineChecks.regions(value);
    }

    @POST
    public FormValidation doCheckPollIntervalMinutes(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        try {
            int minutes = Integer.parseInt(value == null ? "" : value.trim());
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
        if (FormText.isBlank(value)) {
            return FormValidation.ok();
        }
        try {
            URI uri = new URI(value.trim());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                return FormValidation.error("An http(s) URL, for example http://127.0.0.1:5000");
            }
            return FormValidation.warning("All AWS calls go to this endpoint: for emulators only.");
        } catch (URISyntaxException e) {
            return FormValidation.error("Not a URL: " + e.getMessage());
        }
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
