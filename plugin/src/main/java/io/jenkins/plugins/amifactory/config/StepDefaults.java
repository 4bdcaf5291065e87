package io.jenkins.plugins.amifactory.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.FormValidation;
import io.jenkins.plugins.amifactory.forms.FormText;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What a step or freestyle builder that names no AWS credentials runs as. Off by default: such a step fails, so
 * that whoever may configure a job cannot build, share, prune or publish AMIs as the controller. An administrator
 * who allows it also chooses the identity (credentials, and a role assumed with them); with no credentials here
 * that is the controller's own instance profile. Steps that name credentials assume this role too, unless they
 * name their own role.
 */
public final class StepDefaults extends AwsIdentity {
    private boolean allowDefaultIdentity;

    @DataBoundConstructor
    public StepDefaults() {
    }

    public boolean isAllowDefaultIdentity() {
        return allowDefaultIdentity;
    }

    @DataBoundSetter
    public void setAllowDefaultIdentity(boolean allowDefaultIdentity) {
        this.allowDefaultIdentity = allowDefaultIdentity;
    }

    @Extension
    @Symbol("stepDefaults")
    public static final class DescriptorImpl extends IdentityDescriptor {
        public DescriptorImpl() {
            super(StepDefaults.class);
        }

        /** What the credentials mean depends on the box beside them: unticked, steps never run as them. */
        @POST
        public FormValidation doCheckCredentialsId(@QueryParameter String value,
                                                   @QueryParameter boolean allowDefaultIdentity) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            if (!allowDefaultIdentity) {
                return FormText.isBlank(value)
                        ? FormValidation.ok("Steps must name their AWS credentials: those without fail.")
                        : FormValidation.warning("Not used while steps without AWS credentials may not run as the "
                                + "identity of this section.");
            }
            return GlobalCredentials.check(value, "Empty: steps without AWS credentials run as the controller's own "
                    + "AWS credentials (instance profile, environment).");
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Defaults of the steps";
        }
    }
}
