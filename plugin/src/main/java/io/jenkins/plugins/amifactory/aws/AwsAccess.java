package io.jenkins.plugins.amifactory.aws;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.aws.NoCredentialsException;
import io.amifactory.engine.input.InputException;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.AwsIdentity;
import io.jenkins.plugins.amifactory.config.StepDefaults;
import io.jenkins.plugins.amifactory.forms.FormText;
import java.io.Serializable;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Which AWS identity a step or builder acts as: its own credentials and role when it names them, else the
 * global defaults of {@link AmiFactoryConfiguration}. A role and its external id go together: a step that
 * names a role replaces the default role (and its external id) instead of chaining through it. The endpoint
 * override is never a step's to choose; it is read from the global configuration when clients are made.
 */
@Restricted(NoExternalUse.class)
public final class AwsAccess implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String credentialsId;
    private final String roleArn;
    private final String externalId;

    private AwsAccess(String credentialsId, String roleArn, String externalId) {
        this.credentialsId = credentialsId;
        this.roleArn = roleArn;
        this.externalId = externalId;
    }

    /**
     * The identity of a step or builder. Without credentials of its own it runs as the steps' default identity,
     * and only if an administrator allowed that: otherwise anyone who may configure a job could make, share or
     * delete AMIs as the controller.
     *
     * @param source the step or builder, for the error message
     * @throws InputException for an external id without a role, or no credentials where none may be defaulted
     */
    @NonNull
    public static AwsAccess of(@CheckForNull String credentialsId, @CheckForNull String roleArn,
                               @CheckForNull String externalId, String source) {
        StepDefaults defaults = AmiFactoryConfiguration.get().getSteps();
        boolean ownRole = !FormText.isBlank(roleArn);
        if (!ownRole && !FormText.isBlank(externalId)) {
            throw new InputException(source, 0, "externalId", "only goes with roleArn (the default role has its own "
                    + "external id in the global configuration)");
        }
        boolean ownCredentials = !FormText.isBlank(credentialsId);
        if (!ownCredentials && !defaults.isAllowDefaultIdentity()) {
            throw new InputException(source, 0, "credentialsId", "name the AWS credentials to use: steps without "
                    + "credentials may not run as the controller's AWS identity unless an administrator allows it "
                    + "(Manage Jenkins > System > AMI Factory: steps)");
        }
        return new AwsAccess(
                ownCredentials ? credentialsId.trim() : defaults.getCredentialsId(),
                ownRole ? roleArn.trim() : defaults.getRoleArn(),
                ownRole ? FormText.trimmed(externalId) : defaults.getExternalId());
    }

    /** Clients for this build: credentials looked up in the build's context and tracked on it. */
    @NonNull
    public AwsClients clients(@NonNull Run<?, ?> run) throws AbortException {
        return clients(run, null);
    }

    /** @param homeRegion where the work happens (STS is asked there); null: the first default region */
    @NonNull
    public AwsClients clients(@NonNull Run<?, ?> run, @CheckForNull String homeRegion) throws AbortException {
        AwsClients clients = AwsConnector.forRun(run, credentialsId, roleArn, externalId, homeRegion);
        try {
            clients.verifyCredentials();
        } catch (NoCredentialsException e) {
            clients.close();
            throw new AbortException("No AWS credentials found for " + describe() + ": select AWS credentials in the "
                    + "step (credentialsId), or give the controller an instance profile");
        }
        return clients;
    }

    /** For the build log: which credentials and role, never anything secret. */
    public String describe() {
        return AwsIdentity.describe(credentialsId, roleArn);
    }
}
