package io.jenkins.plugins.amifactory.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.DescriptorExtensionList;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.amifactory.engine.track.ImageSource;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.TrackedImagesLoader;
import io.jenkins.plugins.amifactory.forms.EngineChecks;
import io.jenkins.plugins.amifactory.forms.FormText;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One upstream image the controller watches: name, source, regions, and optionally its own AWS
 * credentials and role (otherwise the global defaults apply).
 */
public final class TrackedImageConfig implements Describable<TrackedImageConfig> {
    private final String name;
    private final ImageSourceConfig source;
    private String regions = "";
    private String credentialsId = "";
    private String roleArn = "";
    private String externalId = "";
    private String notificationQueue = "";

    @DataBoundConstructor
    public TrackedImageConfig(String name, ImageSourceConfig source) {
        this.name = name == null ? "" : name.trim();
        this.source = source;
    }

    public String getName() {
        return name;
    }

    public ImageSourceConfig getSource() {
        return source;
    }

    /** Regions separated by spaces or commas; empty means the global default regions. */
    public String getRegions() {
        return regions;
    }

    @DataBoundSetter
    public void setRegions(String regions) {
        this.regions = regions == null ? "" : regions.trim();
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = credentialsId == null ? "" : credentialsId.trim();
    }

    public String getRoleArn() {
        return roleArn;
    }

    @DataBoundSetter
    public void setRoleArn(String roleArn) {
        this.roleArn = roleArn == null ? "" : roleArn.trim();
    }

    public String getExternalId() {
        return externalId;
    }

    @DataBoundSetter
    public void setExternalId(String externalId) {
        this.externalId = externalId == null ? "" : externalId.trim();
    }

    /** An SQS queue subscribed to the topic that announces this image's releases; empty: polling only. */
    public String getNotificationQueue() {
        return notificationQueue == null ? "" : notificationQueue;
    }

    @DataBoundSetter
    public void setNotificationQueue(String notificationQueue) {
        this.notificationQueue = FormText.trimmed(notificationQueue);
    }

    /** This image's credentials, else the tracking identity's ("" = the controller's default chain). */
    public String effectiveCredentialsId(AwsIdentity tracking) {
        return FormText.isBlank(credentialsId) ? tracking.getCredentialsId() : credentialsId;
    }

    /**
     * The engine's tracked image, validated by the engine. A role set here replaces the tracking role
     * (it is assumed from the base credentials, not chained through the tracking role).
     *
     * @throws io.amifactory.engine.input.InputException naming the bad field
     */
    public TrackedImage toEngine(AwsIdentity tracking) {
        if (source == null) {
            throw new io.amifactory.engine.input.InputException("tracked image " + name, 0, "source",
                    "choose an SSM parameter or DescribeImages filters");
        }
        boolean ownRole = !FormText.isBlank(roleArn);
        return TrackedImagesLoader.validate(name, source.toEngine(), FormText.words(regions),
                FormText.blankToNull(ownRole ? roleArn : tracking.getRoleArn()),
                FormText.blankToNull(ownRole ? externalId : tracking.getExternalId()),
                FormText.blankToNull(notificationQueue));
    }

    /** The configuration for an image the engine read from a file (the paste-in import). */
    public static TrackedImageConfig fromEngine(TrackedImage image, List<String> fileDefaultRegions) {
        ImageSourceConfig source;
        if (image.source() instanceof ImageSource.Parameter p) {
            source = new SsmParameterSource(p.path());
        } else {
            ImageSource.Filters f = (ImageSource.Filters) image.source();
            ImageFiltersSource filters = new ImageFiltersSource(FormText.toFilterLines(f.filters()));
            filters.setOwners(FormText.joinWords(f.owners()));
            filters.setIncludeDeprecated(f.includeDeprecated());
            source = filters;
        }
        TrackedImageConfig config = new TrackedImageConfig(image.name(), source);
        List<String> regions = image.regions().isEmpty() ? fileDefaultRegions : image.regions();
        config.setRegions(FormText.joinWords(regions));
        config.setRoleArn(image.roleArn());
        config.setExternalId(image.externalId());
        config.setNotificationQueue(image.notificationQueue());
        return config;
    }


    @Extension
    @Symbol("trackedImage")
    public static final class DescriptorImpl extends Descriptor<TrackedImageConfig> {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Tracked image";
        }

        /** For the source drop-down. */
        public List<Descriptor<ImageSourceConfig>> getSourceDescriptors() {
            DescriptorExtensionList<ImageSourceConfig, Descriptor<ImageSourceConfig>> all =
                    Jenkins.get().getDescriptorList(ImageSourceConfig.class);
            return new ArrayList<>(all);
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return EngineChecks.name(value == null ? "" : value.trim());
        }

        @POST
        public FormValidation doCheckRegions(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            if (FormText.isBlank(value)) {
                return FormValidation.ok("Empty: the Default regions of the AMI Factory section apply.");
            }
            return EngineChecks.regions(value);
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
        public FormValidation doCheckNotificationQueue(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return EngineChecks.notificationQueue(value);
        }

        @POST
        public FormValidation doCheckCredentialsId(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return GlobalCredentials.check(value, "Empty: the AWS credentials of the AMI Factory tracking identity apply.");
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return GlobalCredentials.items(credentialsId);
        }
    }
}
