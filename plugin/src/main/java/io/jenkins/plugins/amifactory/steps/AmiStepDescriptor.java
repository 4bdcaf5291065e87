package io.jenkins.plugins.amifactory.steps;

import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.amifactory.forms.EngineChecks;
import io.jenkins.plugins.amifactory.forms.StepForms;
import java.util.Set;
import java.util.function.Supplier;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The descriptors of the AMI Factory steps: they run in a build (its credentials context, its log) and need
 * no workspace unless a step reads a workspace file. Form methods answer only users who may read the job.
 */
public abstract class AmiStepDescriptor extends StepDescriptor {
    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        return Set.<Class<?>>of(Run.class, TaskListener.class);
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
        return StepForms.credentialsItems(item, credentialsId);
    }

    /** Only who may read the job gets answers (everyone else "ok": the checks only judge the text typed). */
    protected static FormValidation check(Item item, Supplier<FormValidation> check) {
        return StepForms.mayCheck(item, Item.EXTENDED_READ) ? check.get() : FormValidation.ok();
    }

    @POST
    public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
        return check(item, () -> StepForms.credentials(value));
    }

    @POST
    public FormValidation doCheckRoleArn(@AncestorInPath Item item, @QueryParameter String value) {
        if (!StepForms.mayCheck(item, Item.EXTENDED_READ)) {
            return FormValidation.ok();
        }
        return StepForms.roleArn(value);
    }

    @POST
    public FormValidation doCheckExternalId(@AncestorInPath Item item, @QueryParameter String value,
                                            @QueryParameter String roleArn) {
        if (!StepForms.mayCheck(item, Item.EXTENDED_READ)) {
            return FormValidation.ok();
        }
        return EngineChecks.externalId(value, roleArn);
    }

    @POST
    public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
        if (!StepForms.mayCheck(item, Item.EXTENDED_READ)) {
            return FormValidation.ok();
        }
        return StepForms.region(value);
    }

    /** The form field of {@link AmiRegionsStep#getRegions()}. */
    @POST
    public FormValidation doCheckRegionsText(@AncestorInPath Item item, @QueryParameter String value) {
        return doCheckRegion(item, value);
    }
}
