package io.jenkins.plugins.amifactory.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
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
import io.jenkins.plugins.amifactory.runners.PlainValues;
import io.jenkins.plugins.amifactory.runners.PruneRunner;
import java.util.List;
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
 * {@code amiPrune}: removes (or deprecates, or disables) old AMIs of your own that nothing uses, by the
 * engine's plan (docs/pruning.md). The plan is archived as {@code ami-prune-plan.json} before anything changes;
 * {@code dryRun: true} stops there. Returns the report (or, for a dry run, the plan).
 */
public final class AmiPruneStep extends AmiRegionsStep {
    private String name;
    private Object tags;
    private Integer keep;
    private String maxAge;
    private String action;
    private String deprecateAt;
    private String familyTag;
    private List<String> inUseParameters;
    private boolean keepShared;
    private boolean dryRun;

    @DataBoundConstructor
    public AmiPruneStep() {
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    EngineArguments arguments() {
        return new EngineArguments("amiPrune")
                .put("name", name)
                .put("tags", tags)
                .regions(getRegion(), getRegions())
                .put("keep", keep)
                .put("maxAge", maxAge)
                .put("action", action)
                .put("deprecateAt", deprecateAt)
                .put("familyTag", familyTag)
                .put("inUseParameters", inUseParameters)
                .flag("keepShared", keepShared);
    }

    /** AMI name glob of your own images. */
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

    /** The newest launchable images kept per family; the engine's default when unset. */
    @CheckForNull
    public Integer getKeep() {
        return keep;
    }

    @DataBoundSetter
    public void setKeep(Integer keep) {
        this.keep = keep;
    }

    @CheckForNull
    public String getMaxAge() {
        return maxAge;
    }

    @DataBoundSetter
    public void setMaxAge(String maxAge) {
        this.maxAge = FormText.blankToNull(maxAge);
    }

    /** deregister (default), deprecate or disable. */
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
    public List<String> getInUseParameters() {
        return inUseParameters;
    }

    @DataBoundSetter
    public void setInUseParameters(List<String> inUseParameters) {
        this.inUseParameters = PlainValues.strings(inUseParameters);
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

    // ---- the Snippet Generator's text fields

    public String getInUseParametersText() {
        return FormText.joinWords(inUseParameters);
    }

    public String getKeepText() {
        return keep == null ? "" : keep.toString();
    }

    /** Plans and acts within minutes: a background thread; not resumable across a restart. */
    private static final class Execution extends SynchronousNonBlockingStepExecution<Object> {
        private static final long serialVersionUID = 1L;
        private final transient AmiPruneStep step;

        Execution(AmiPruneStep step, StepContext context) {
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
            return PruneRunner.prune(args, step.isDryRun(), access, getContext().get(Run.class),
                    getContext().get(TaskListener.class));
        }
    }

    @Extension
    @Symbol("amiPrune")
    public static final class DescriptorImpl extends AmiStepDescriptor {
        @Override
        public String getFunctionName() {
            return "amiPrune";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Prune old AMIs (AMI Factory)";
        }

        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject form) throws FormException {
            AmiPruneStep step = new AmiPruneStep();
            step.bindCommon(form);
            step.setName(form.optString("name"));
            String keep = form.optString("keepText").trim();
            try {
                step.setKeep(keep.isEmpty() ? null : Integer.valueOf(keep));
            } catch (NumberFormatException e) {
                throw new FormException("Keep must be a whole number, not '" + keep + "'", "keepText");
            }
            step.setMaxAge(form.optString("maxAge"));
            step.setAction(form.optString("action"));
            step.setDeprecateAt(form.optString("deprecateAt"));
            step.setFamilyTag(form.optString("familyTag"));
            step.setInUseParameters(FormText.words(form.optString("inUseParametersText")));
            step.setKeepShared(form.optBoolean("keepShared"));
            step.setDryRun(form.optBoolean("dryRun"));
            return step;
        }

        @POST
        public FormValidation doCheckName(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.pruneField("name", value, null));
        }

        @POST
        public FormValidation doCheckKeepText(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.pruneField("keep", value, null));
        }

        @POST
        public FormValidation doCheckMaxAge(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.pruneField("maxAge", value, null));
        }

        @POST
        public FormValidation doCheckAction(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.pruneField("action", value, null));
        }

        /** "Default: deregister" (left out of the snippet), then the engine's actions. */
        @POST
        public ListBoxModel doFillActionItems(@QueryParameter String action) {
            return RequestChecks.pruneActions(action);
        }

        @POST
        public FormValidation doCheckDeprecateAt(@AncestorInPath Item item, @QueryParameter String value,
                                                 @QueryParameter String action) {
            return check(item, () -> RequestChecks.pruneField("deprecateAt", value, action));
        }

        @POST
        public FormValidation doCheckFamilyTag(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.pruneField("familyTag", value, null));
        }

        @POST
        public FormValidation doCheckInUseParametersText(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.pruneField("inUseParameters", FormText.words(value), null));
        }
    }
}
