package io.jenkins.plugins.amifactory.builders;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.Builder;
import io.jenkins.plugins.amifactory.aws.AwsAccess;
import io.jenkins.plugins.amifactory.forms.FormText;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The freestyle builders: the same engine calls as the Pipeline steps, blocking the executor while they run
 * (acceptable in freestyle, which cannot resume a step after a restart anyway). Their text fields take
 * {@code ${VARIABLES}}, so a job started by the {@code amiRelease} trigger can use AMI_ID, AMI_REGION, ...
 * No workspace is needed unless a field names a workspace file.
 */
public abstract class AmiFactoryBuilder extends Builder implements SimpleBuildStep {
    private String credentialsId;
    private String roleArn;
    private String externalId;

    /** The work, with the workspace when the build has one (always, in a freestyle job). */
    abstract void run(Run<?, ?> run, @CheckForNull FilePath workspace, EnvVars env, TaskListener listener)
            throws IOException, InterruptedException;

    @Override
    public boolean requiresWorkspace() {
        return false;
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
                        @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
        requireFreestyle(run);
        run(run, workspace, env, listener);
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull EnvVars env, @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        requireFreestyle(run);
        run(run, null, env, listener);
    }

    /**
     * These builders block an executor for the whole of their work and do not survive a controller restart; a
     * Pipeline has steps that do both (amiBuild, amiShare, amiPrune), so these refuse to run there.
     */
    private void requireFreestyle(Run<?, ?> run) throws AbortException {
        if (!(run instanceof AbstractBuild)) {
            throw new AbortException(getDescriptor().getDisplayName() + " is a freestyle build step; in a Pipeline "
                    + "use amiBuild, amiShare or amiPrune, which wait without holding an executor and survive a "
                    + "controller restart");
        }
    }

    /** The value with ${VARIABLES} expanded; null when blank. */
    @CheckForNull
    static String expand(EnvVars env, @CheckForNull String value) {
        return value == null ? null : FormText.blankToNull(env.expand(value));
    }

    /**
     * The identity this builder acts as. The role and external id take ${VARIABLES} like the other text fields;
     * a credentials id that names a build parameter is resolved by the credentials lookup itself.
     */
    AwsAccess access(EnvVars env, String source) {
        return AwsAccess.of(credentialsId, expand(env, roleArn), expand(env, externalId), source);
    }

    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = FormText.blankToNull(credentialsId);
    }

    @CheckForNull
    public String getRoleArn() {
        return roleArn;
    }

    @DataBoundSetter
    public void setRoleArn(String roleArn) {
        this.roleArn = FormText.blankToNull(roleArn);
    }

    @CheckForNull
    public String getExternalId() {
        return externalId;
    }

    @DataBoundSetter
    public void setExternalId(String externalId) {
        this.externalId = FormText.blankToNull(externalId);
    }
}
