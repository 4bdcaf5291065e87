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
import io.jenkins.plugins.amifactory.runners.LatestRunner;
import io.jenkins.plugins.amifactory.runners.PlainValues;
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
 * {@code amiLatest}: the newest launchable AMI matching {@code name} and/or {@code tags} (your own images
 * unless {@code owners} says otherwise). Returns the AMI id for one region; with {@code regions}, a Map of
 * region to AMI id. Fails when a region has no match.
 */
public final class AmiLatestStep extends AmiRegionsStep {
    private String name;
    private Object tags;
    private List<String> owners;
    private boolean includeDeprecated;

    @DataBoundConstructor
    public AmiLatestStep() {
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    EngineArguments arguments() {
        return new EngineArguments("amiLatest")
                .put("name", name)
                .put("tags", tags)
                .put("owners", owners)
                .regions(getRegion(), getRegions())
                .flag("includeDeprecated", includeDeprecated);
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
    public Object getTags() {
        return tags;
    }

    @DataBoundSetter
    public void setTags(Object tags) {
        this.tags = tags;
    }

    /** self (default), amazon, aws-marketplace or account ids. */
    @CheckForNull
    public List<String> getOwners() {
        return owners;
    }

    @DataBoundSetter
    public void setOwners(List<String> owners) {
        this.owners = PlainValues.strings(owners);
    }

    public boolean isIncludeDeprecated() {
        return includeDeprecated;
    }

    @DataBoundSetter
    public void setIncludeDeprecated(boolean includeDeprecated) {
        this.includeDeprecated = includeDeprecated;
    }

    public String getOwnersText() {
        return FormText.joinWords(owners);
    }

    private static final class Execution extends SynchronousNonBlockingStepExecution<Object> {
        private static final long serialVersionUID = 1L;
        private final transient AmiLatestStep step;

        Execution(AmiLatestStep step, StepContext context) {
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
            return LatestRunner.find(args, step.getRegions() != null, access, getContext().get(Run.class),
                    getContext().get(TaskListener.class));
        }
    }

    @Extension
    @Symbol("amiLatest")
    public static final class DescriptorImpl extends AmiStepDescriptor {
        @Override
        public String getFunctionName() {
            return "amiLatest";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Find the newest AMI (AMI Factory)";
        }

        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject form) throws FormException {
            AmiLatestStep step = new AmiLatestStep();
            step.bindCommon(form);
            step.setName(form.optString("name"));
            step.setOwners(FormText.words(form.optString("ownersText")));
            step.setIncludeDeprecated(form.optBoolean("includeDeprecated"));
            return step;
        }

        @POST
        public FormValidation doCheckName(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.latestField("name", value));
        }

        @POST
        public FormValidation doCheckOwnersText(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.latestField("owners", FormText.words(value)));
        }
    }
}
