package io.jenkins.plugins.amifactory.builders;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.amifactory.engine.input.InputException;
import io.jenkins.plugins.amifactory.aws.AwsAccess;
import io.jenkins.plugins.amifactory.forms.FormText;
import io.jenkins.plugins.amifactory.forms.RequestChecks;
import io.jenkins.plugins.amifactory.runners.EngineArguments;
import io.jenkins.plugins.amifactory.runners.PruneRunner;
import java.io.IOException;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Freestyle "Prune old AMIs": plans, archives the plan as {@code ami-prune-plan.json}, then acts (unless dry
 * run). Lists are separated by spaces or commas; {@code keep} is a whole number (the engine's default when empty).
 */
public final class AmiPruneBuilder extends AmiFactoryBuilder {
    private String name;
    private String regions;
    private String keep;
    private String maxAge;
    private String action;
    private String deprecateAt;
    private String familyTag;
    private String inUseParameters;
    private boolean keepShared;
    private boolean dryRun;

    @DataBoundConstructor
    public AmiPruneBuilder() {
    }

    @Override
    void run(Run<?, ?> run, @CheckForNull FilePath workspace, EnvVars env, TaskListener listener)
            throws IOException, InterruptedException {
        EngineArguments args;
        AwsAccess access;
        try {
            args = new EngineArguments("Prune old AMIs")
                    .put("name", expand(env, name))
                    .put("regions", FormText.words(expand(env, regions)))
                    .put("keep", expand(env, keep))
                    .put("maxAge", expand(env, maxAge))
                    .put("action", expand(env, action))
                    .put("deprecateAt", expand(env, deprecateAt))
                    .put("familyTag", expand(env, familyTag))
                    .put("inUseParameters", FormText.words(expand(env, inUseParameters)))
                    .flag("keepShared", keepShared);
            access = access(env, "Prune old AMIs");
        } catch (InputException e) {
            throw new AbortException(e.getMessage());
        }
        PruneRunner.prune(args, dryRun, access, run, listener);
    }

    @CheckForNull
    public String getName() {
        return name;
    }

    @DataBoundSetter
    public void setName(String name) {
        this.name = FormText.blankToNull(name);
    }

    @CheckForNull
    public String getRegions() {
        return regions;
    }

    @DataBoundSetter
    public void setRegions(String regions) {
        this.regions = FormText.blankToNull(regions);
    }

    @CheckForNull
    public String getKeep() {
        return keep;
    }

    @DataBoundSetter
    public void setKeep(String keep) {
        this.keep = FormText.blankToNull(keep);
    }

    @CheckForNull
    public String getMaxAge() {
        return maxAge;
    }

    @DataBoundSetter
    public void setMaxAge(String maxAge) {
        this.maxAge = FormText.blankToNull(maxAge);
    }

    @CheckForNull
    public String getAction() {
        return action;
    }

    @DataBoundSetter
    public void setAction(String action) {
        this.action = FormText.blankToNull(action);
    }

    @CheckForNull
    public String getDeprecateAt() {
        return deprecateAt;
    }

    @DataBoundSetter
    public void setDeprecateAt(String deprecateAt) {
        this.deprecateAt = FormText.blankToNull(deprecateAt);
    }

    @CheckForNull
    public String getFamilyTag() {
        return familyTag;
    }

    @DataBoundSetter
    public void setFamilyTag(String familyTag) {
        this.familyTag = FormText.blankToNull(familyTag);
    }

    @CheckForNull
    public String getInUseParameters() {
        return inUseParameters;
    }

    @DataBoundSetter
    public void setInUseParameters(String inUseParameters) {
        this.inUseParameters = FormText.blankToNull(inUseParameters);
    }

    public boolean isKeepShared() {
        return keepShared;
    }

    @DataBoundSetter
    public void setKeepShared(boolean keepShared) {
        this.keepShared = keepShared;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    @Extension
    public static final class DescriptorImpl extends AmiBuilderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Prune old AMIs (AMI Factory)";
        }

        @POST
        public FormValidation doCheckName(@AncestorInPath Item item, @QueryParameter String value) {
            return checkText(item, value, () -> RequestChecks.pruneField("name", value, null));
        }

        @POST
        public FormValidation doCheckKeep(@AncestorInPath Item item, @QueryParameter String value) {
            return checkText(item, value, () -> RequestChecks.pruneField("keep", value, null));
        }

        @POST
        public FormValidation doCheckMaxAge(@AncestorInPath Item item, @QueryParameter String value) {
            return checkText(item, value, () -> RequestChecks.pruneField("maxAge", value, null));
        }

        @POST
        public FormValidation doCheckAction(@AncestorInPath Item item, @QueryParameter String value) {
            return checkText(item, value, () -> RequestChecks.pruneField("action", value, null));
        }

        /** The engine's actions; deregister, its default, first. */
        @POST
        public ListBoxModel doFillActionItems(@QueryParameter String action) {
            return RequestChecks.pruneActions(action);
        }

        @POST
        public FormValidation doCheckDeprecateAt(@AncestorInPath Item item, @QueryParameter String value,
                                                 @QueryParameter String action) {
            return checkText(item, value, () -> RequestChecks.pruneField("deprecateAt", value, action));
        }

        @POST
        public FormValidation doCheckFamilyTag(@AncestorInPath Item item, @QueryParameter String value) {
            return checkText(item, value, () -> RequestChecks.pruneField("familyTag", value, null));
        }

        @POST
        public FormValidation doCheckInUseParameters(@AncestorInPath Item item, @QueryParameter String value) {
            return checkText(item, value, () -> RequestChecks.pruneField("inUseParameters", FormText.words(value), null));
        }
    }
}
