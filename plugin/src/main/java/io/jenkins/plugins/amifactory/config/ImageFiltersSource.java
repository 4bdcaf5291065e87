package io.jenkins.plugins.amifactory.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.FormValidation;
import io.amifactory.engine.track.ImageSource;
import io.jenkins.plugins.amifactory.forms.EngineChecks;
import io.jenkins.plugins.amifactory.forms.FormText;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The current AMI is the newest image matching EC2 DescribeImages filters. Filters are written one per
 * line as {@code NAME=VALUE}; a name given on several lines matches any of its values.
 */
public final class ImageFiltersSource extends ImageSourceConfig {
    private final String filters;
    private String owners = "";
    private boolean includeDeprecated;

    @DataBoundConstructor
    public ImageFiltersSource(String filters) {
        this.filters = filters == null ? "" : filters.trim();
    }

    public String getFilters() {
        return filters;
    }

    public String getOwners() {
        return owners;
    }

    /** Account ids or aliases ({@code amazon}, {@code self}, ...), separated by spaces or commas. */
    @DataBoundSetter
    public void setOwners(String owners) {
        this.owners = owners == null ? "" : owners.trim();
    }

    public boolean isIncludeDeprecated() {
        return includeDeprecated;
    }

    @DataBoundSetter
    public void setIncludeDeprecated(boolean includeDeprecated) {
        this.includeDeprecated = includeDeprecated;
    }

    @Override
    public ImageSource toEngine() {
        return new ImageSource.Filters(FormText.filterLines("filters", filters), FormText.words(owners),
                includeDeprecated);
    }

    @Extension
    @Symbol("imageFilters")
    public static final class DescriptorImpl extends SourceDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "DescribeImages filters (newest match)";
        }

        @POST
        public FormValidation doCheckFilters(@QueryParameter String value, @QueryParameter String owners,
                                             @QueryParameter boolean includeDeprecated) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return EngineChecks.filters(value, owners, includeDeprecated);
        }

        @POST
        public FormValidation doCheckOwners(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return EngineChecks.owners(value);
        }

        @POST
        public FormValidation doCheckIncludeDeprecated(@QueryParameter boolean value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return value
                    ? FormValidation.warning("Deprecated images can win: only for images whose publisher deprecates early.")
                    : FormValidation.ok();
        }

        /** The "Test lookup" button: what each region resolves to right now. */
        @POST
        public FormValidation doTestLookup(@QueryParameter String filters, @QueryParameter String owners,
                                           @QueryParameter boolean includeDeprecated, @QueryParameter String name,
                                           @QueryParameter String regions, @QueryParameter String credentialsId,
                                           @QueryParameter String roleArn, @QueryParameter String externalId) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return LookupCheck.run(name, () -> {
                ImageFiltersSource source = new ImageFiltersSource(filters);
                source.setOwners(owners);
                source.setIncludeDeprecated(includeDeprecated);
                return source.toEngine();
            }, regions, credentialsId, roleArn, externalId);
        }
    }
}
