package io.jenkins.plugins.amifactory.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.amifactory.engine.input.InputException;
import io.jenkins.plugins.amifactory.aws.AwsAccess;
import io.jenkins.plugins.amifactory.forms.FormText;
import io.jenkins.plugins.amifactory.forms.RequestChecks;
import io.jenkins.plugins.amifactory.runners.EngineArguments;
import io.jenkins.plugins.amifactory.runners.PlainValues;
import io.jenkins.plugins.amifactory.runners.ShareRunner;
import java.util.List;
import java.util.Map;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code amiShare}: adds (or with {@code remove: true} removes) launch permissions of an AMI in every region it
 * is in. {@code image} is an AMI id, a Map region to id, or {@code amiBuild}'s result; or {@code name} / {@code tags}
 * find your newest matching image in each of {@code region} / {@code regions}. Returns the engine's report.
 */
public final class AmiShareStep extends AmiRegionsStep {
    private Object image;
    private String name;
    private Object tags;
    private List<String> accounts;
    private List<String> orgArns;
    private List<String> ouArns;
    private boolean makePublic;
    private boolean allowPublic;
    private boolean remove;
    private boolean snapshots;

    @DataBoundConstructor
    public AmiShareStep() {
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** The engine's share request; {@code amiBuild}'s result stands for its {@code images}. */
    EngineArguments arguments() {
        Object target = image instanceof Map<?, ?> result && result.containsKey("images") ? result.get("images") : image;
        return new EngineArguments("amiShare")
                .put("image", target)
                .put("name", name)
                .put("tags", tags)
                .regions(getRegion(), getRegions())
                .put("accounts", accounts)
                .put("orgArns", orgArns)
                .put("ouArns", ouArns)
                .flag("public", makePublic)
                .flag("allowPublic", allowPublic)
                .flag("remove", remove)
                .flag("snapshots", snapshots);
    }

    /** An AMI id, a Map region to AMI id, {@code amiBuild}'s result, or REGION=ID strings. */
    @CheckForNull
    public Object getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(Object image) {
        this.image = image instanceof String s && s.isBlank() ? null : image;
    }

    @CheckForNull
    public String getName() {
        return name;
    }

    @DataBoundSetter
    public void setName(String name) {
        this.name = FormText.blankToNull(name);
    }

    /** A Map of tag key to value (or glob), or KEY=VALUE strings. */
    @CheckForNull
    public Object getTags() {
        return tags;
    }

    @DataBoundSetter
    public void setTags(Object tags) {
        this.tags = tags;
    }

    @CheckForNull
    public List<String> getAccounts() {
        return accounts;
    }

    @DataBoundSetter
    public void setAccounts(List<String> accounts) {
        this.accounts = PlainValues.strings(accounts);
    }

    @CheckForNull
    public List<String> getOrgArns() {
        return orgArns;
    }

    @DataBoundSetter
    public void setOrgArns(List<String> orgArns) {
        this.orgArns = PlainValues.strings(orgArns);
    }

    @CheckForNull
    public List<String> getOuArns() {
        return ouArns;
    }

    @DataBoundSetter
    public void setOuArns(List<String> ouArns) {
        this.ouArns = PlainValues.strings(ouArns);
    }

    /** Launch permission for everyone; needs {@code allowPublic} too. */
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

    // ---- the Snippet Generator's text fields

    public String getImageText() {
        return image instanceof String s ? s : "";
    }

    public String getAccountsText() {
        return FormText.joinWords(accounts);
    }

    public String getOrgArnsText() {
        return FormText.joinWords(orgArns);
    }

    public String getOuArnsText() {
        return FormText.joinWords(ouArns);
    }

    /** Short AWS calls: a background thread while they run; not resumable across a restart (nothing to resume). */
    private static final class Execution extends SynchronousNonBlockingStepExecution<Object> {
        private static final long serialVersionUID = 1L;
        private final transient AmiShareStep step;

        Execution(AmiShareStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Object run() throws Exception {
            EngineArguments args;
            AwsAccess access;
            try {
                args = step.arguments();
                access = step.access();
            } catch (InputException e) {
                throw new AbortException(e.getMessage());
            }
            return ShareRunner.share(args, access, getContext().get(Run.class), getContext().get(TaskListener.class));
        }
    }

    @Extension
    @Symbol("amiShare")
    public static final class DescriptorImpl extends AmiStepDescriptor {
        @Override
        public String getFunctionName() {
            return "amiShare";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Share an AMI (AMI Factory)";
        }

        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject form) throws FormException {
            AmiShareStep step = new AmiShareStep();
            step.bindCommon(form);
            String image = form.optString("imageText");
            step.setImage(FormText.isBlank(image) ? null : RequestChecks.shareImageArgument(image));
            step.setName(form.optString("name"));
            step.setAccounts(FormText.words(form.optString("accountsText")));
            step.setOrgArns(FormText.words(form.optString("orgArnsText")));
            step.setOuArns(FormText.words(form.optString("ouArnsText")));
            step.setMakePublic(form.optBoolean("makePublic"));
            step.setAllowPublic(form.optBoolean("allowPublic"));
            step.setRemove(form.optBoolean("remove"));
            step.setSnapshots(form.optBoolean("snapshots"));
            return step;
        }

        @POST
        public FormValidation doCheckImageText(@AncestorInPath Item item, @QueryParameter String value,
                                               @QueryParameter String name) {
            return check(item, () -> RequestChecks.shareImage(RequestChecks.shareImageArgument(value), name));
        }

        @POST
        public FormValidation doCheckName(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.shareName(value));
        }

        @POST
        public FormValidation doCheckAccountsText(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.shareGrantees("accounts", FormText.words(value)));
        }

        @POST
        public FormValidation doCheckOrgArnsText(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.shareGrantees("orgArns", FormText.words(value)));
        }

        @POST
        public FormValidation doCheckOuArnsText(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.shareGrantees("ouArns", FormText.words(value)));
        }
    }
}
