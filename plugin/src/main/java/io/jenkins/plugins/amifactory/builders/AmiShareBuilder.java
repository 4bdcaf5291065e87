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
import io.amifactory.engine.input.InputException;
import io.jenkins.plugins.amifactory.aws.AwsAccess;
import io.jenkins.plugins.amifactory.forms.FormText;
import io.jenkins.plugins.amifactory.forms.RequestChecks;
import io.jenkins.plugins.amifactory.runners.EngineArguments;
import io.jenkins.plugins.amifactory.runners.ShareRunner;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Freestyle "Share an AMI". {@code image} takes an AMI id or {@code REGION=ID} pairs, so {@code ${AMI_IDS}} after
 * the build builder shares every copy; lists are separated by spaces or commas.
 */
public final class AmiShareBuilder extends AmiFactoryBuilder {
    private String image;
    private String name;
    private String regions;
    private String accounts;
    private String orgArns;
    private String ouArns;
    private boolean makePublic;
    private boolean allowPublic;
    private boolean remove;
    private boolean snapshots;

    @DataBoundConstructor
    public AmiShareBuilder() {
    }

    @Override
    void run(Run<?, ?> run, @CheckForNull FilePath workspace, EnvVars env, TaskListener listener)
            throws AbortException {
        EngineArguments args;
        AwsAccess access;
        try {
            args = new EngineArguments("Share an AMI")
                    .put("image", RequestChecks.shareImageArgument(expand(env, image)))
                    .put("name", expand(env, name))
                    .put("regions", FormText.words(expand(env, regions)))
                    .put("accounts", FormText.words(expand(env, accounts)))
                    .put("orgArns", FormText.words(expand(env, orgArns)))
                    .put("ouArns", FormText.words(expand(env, ouArns)))
                    .flag("public", makePublic)
                    .flag("allowPublic", allowPublic)
                    .flag("remove", remove)
                    .flag("snapshots", snapshots);
            access = access(env, "Share an AMI");
        } catch (InputException e) {
            throw new AbortException(e.getMessage());
        }
        ShareRunner.share(args, access, run, listener);
    }

    @CheckForNull
    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = FormText.blankToNull(image);
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
    public String getAccounts() {
        return accounts;
    }

    @DataBoundSetter
    public void setAccounts(String accounts) {
        this.accounts = FormText.blankToNull(accounts);
    }

    @CheckForNull
    public String getOrgArns() {
        return orgArns;
    }

    @DataBoundSetter
    public void setOrgArns(String orgArns) {
        this.orgArns = FormText.blankToNull(orgArns);
    }

    @CheckForNull
    public String getOuArns() {
        return ouArns;
    }

    @DataBoundSetter
    public void setOuArns(String ouArns) {
        this.ouArns = FormText.blankToNull(ouArns);
    }

    public boolean isMakePublic() {
        return makePublic;
    }

    @DataBoundSetter
    public void setMakePublic(boolean makePublic) {
        this.makePublic = makePublic;
    }

    public boolean isAllowPublic() {
        return allowPublic;
    }

    @DataBoundSetter
    public void setAllowPublic(boolean allowPublic) {
        this.allowPublic = allowPublic;
    }

    public boolean isRemove() {
        return remove;
    }

    @DataBoundSetter
    public void setRemove(boolean remove) {
        this.remove = remove;
    }

    public boolean isSnapshots() {
        return snapshots;
    }

    @DataBoundSetter
    public void setSnapshots(boolean snapshots) {
        this.snapshots = snapshots;
    }

    @Extension
    public static final class DescriptorImpl extends AmiBuilderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Share an AMI (AMI Factory)";
        }

        @POST
        public FormValidation doCheckImage(@AncestorInPath Item item, @QueryParameter String value,
                                           @QueryParameter String name) {
            return checkText(item, value, () -> RequestChecks.shareImage(RequestChecks.shareImageArgument(value), name));
        }

        @POST
        public FormValidation doCheckName(@AncestorInPath Item item, @QueryParameter String value) {
            return checkText(item, value, () -> RequestChecks.shareName(value));
        }

        @POST
        public FormValidation doCheckAccounts(@AncestorInPath Item item, @QueryParameter String value) {
            return checkText(item, value, () -> RequestChecks.shareGrantees("accounts", FormText.words(value)));
        }

        @POST
        public FormValidation doCheckOrgArns(@AncestorInPath Item item, @QueryParameter String value) {
            return checkText(item, value, () -> RequestChecks.shareGrantees("orgArns", FormText.words(value)));
        }

        @POST
        public FormValidation doCheckOuArns(@AncestorInPath Item item, @QueryParameter String value) {
            return checkText(item, value, () -> RequestChecks.shareGrantees("ouArns", FormText.words(value)));
        }
    }
}
