package io.jenkins.plugins.amifactory.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.FormValidation;
import io.amifactory.engine.track.ImageSource;
import io.jenkins.plugins.amifactory.forms.EngineChecks;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** The current AMI is the value of an SSM parameter (usually an AWS public one). */
public final class SsmParameterSource extends ImageSourceConfig {
    private final String path;

    @DataBoundConstructor
    public SsmParameterSource(String path) {
        this.path = path == null ? "" : path.trim();
    }

    public String getPath() {
        return path;
    }

    @Override
    public ImageSource toEngine() {
        return new ImageSource.Parameter(path);
    }

    @Extension
    @Symbol("ssmParameter")
    public static final class DescriptorImpl extends SourceDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "SSM parameter";
        }

        @POST
        public FormValidation doCheckPath(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return EngineChecks.parameterPath(value);
        }

        /** The "Test lookup" button: what each region resolves to right now. */
        @POST
        public FormValidation doTestLookup(@QueryParameter String path, @QueryParameter String name,
                                           @QueryParameter String regions, @QueryParameter String credentialsId,
                                           @QueryParameter String roleArn, @QueryParameter String externalId) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return LookupCheck.run(name, () -> new SsmParameterSource(path).toEngine(), regions, credentialsId,
                    roleArn, externalId);
        }
    }
}
