package io.jenkins.plugins.amifactory.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.amifactory.forms.EngineChecks;
import io.jenkins.plugins.amifactory.forms.FormText;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * An AWS identity the controller acts as: AWS credentials from the global store (empty: the controller's own,
 * from its instance profile or environment), optionally a role assumed with them and its external id. The
 * poller's identity and the one steps may fall back on are two of these, so that the role that reads upstream
 * images need not be the one that builds, shares and prunes.
 */
public class AwsIdentity implements Describable<AwsIdentity> {
    private String credentialsId = "";
    private String roleArn = "";
    private String externalId = "";

    @DataBoundConstructor
    public AwsIdentity() {
    }

    public AwsIdentity(String credentialsId, String roleArn, String externalId) {
        setCredentialsId(credentialsId);
        setRoleArn(roleArn);
        setExternalId(externalId);
    }

    /** aws-credentials id in the global store; empty for the controller's own credentials. */
    @NonNull
    public String getCredentialsId() {
        return FormText.trimmed(credentialsId);
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = FormText.trimmed(credentialsId);
    }

    @NonNull
    public String getRoleArn() {
        return FormText.trimmed(roleArn);
    }

    @DataBoundSetter
    public void setRoleArn(String roleArn) {
        this.roleArn = FormText.trimmed(roleArn);
    }

    @NonNull
    public String getExternalId() {
        return FormText.trimmed(externalId);
    }

    @DataBoundSetter
    public void setExternalId(String externalId) {
        this.externalId = FormText.trimmed(externalId);
    }

    /**
     * @param where the configuration path of this identity, for the message
     * @throws IllegalArgumentException when the engine refuses the role or external id
     */
    void validate(String where) {
        EngineChecks.requireIdentity(where, roleArn, externalId);
    }

    /** Which credentials and role, for logs and pages; never anything secret. */
    @NonNull
    public String describe() {
        return describe(getCredentialsId(), getRoleArn());
    }

    /** The same wording for an identity held elsewhere (a step's). */
    @NonNull
    public static String describe(String credentialsId, String roleArn) {
        String who = FormText.isBlank(credentialsId) ? "the controller's own AWS credentials"
                : "AWS credentials '" + credentialsId.trim() + "'";
        return FormText.isBlank(roleArn) ? who : who + " assuming " + roleArn.trim();
    }

    /** The checks of an identity's form. Only administrators configure identities, so only they get answers. */
    public abstract static class IdentityDescriptor extends Descriptor<AwsIdentity> {
        protected IdentityDescriptor(Class<? extends AwsIdentity> clazz) {
            super(clazz);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return GlobalCredentials.items(credentialsId);
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
    }

    @Extension
    @Symbol("awsIdentity")
    public static final class DescriptorImpl extends IdentityDescriptor {
        public DescriptorImpl() {
            super(AwsIdentity.class);
        }

        @POST
        public FormValidation doCheckCredentialsId(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return GlobalCredentials.check(value,
                    "Empty: the controller's own AWS credentials (instance profile, environment).");
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "AWS identity";
        }
    }
}
