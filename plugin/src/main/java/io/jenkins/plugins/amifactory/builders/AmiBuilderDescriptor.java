package io.jenkins.plugins.amifactory.builders;

import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.amifactory.forms.EngineChecks;
import io.jenkins.plugins.amifactory.forms.RequestChecks;
import io.jenkins.plugins.amifactory.forms.StepForms;
import java.util.function.Supplier;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** The freestyle builders' descriptors: usable in every project type; form methods for job configurers. */
public abstract class AmiBuilderDescriptor extends BuildStepDescriptor<Builder> {
    @Override
    @SuppressWarnings("rawtypes")
    public boolean isApplicable(Class<? extends AbstractProject> jobType) {
        return true;
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
        return StepForms.credentialsItems(item, credentialsId);
    }

    @POST
    public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
        return checkText(item, value, () -> StepForms.credentials(value));
    }

    @POST
    public FormValidation doCheckRoleArn(@AncestorInPath Item item, @QueryParameter String value) {
        return checkText(item, value, () -> StepForms.roleArn(value));
    }

    @POST
    public FormValidation doCheckExternalId(@AncestorInPath Item item, @QueryParameter String value,
                                            @QueryParameter String roleArn) {
        if (RequestChecks.hasVariables(roleArn)) {
            return FormValidation.ok();
        }
        return checkText(item, value, () -> EngineChecks.externalId(value, roleArn));
    }

    @POST
    public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
        return checkText(item, value, () -> StepForms.region(value));
    }

    @POST
    public FormValidation doCheckRegions(@AncestorInPath Item item, @QueryParameter String value) {
        return doCheckRegion(item, value);
    }

    /**
     * A field check that answers only who may configure the job (everyone else gets "ok": the check only judges the
     * text typed) and leaves values with ${VARIABLES} to the build, which expands them first.
     */
    static FormValidation checkText(Item item, String value, Supplier<FormValidation> check) {
        if (!StepForms.mayCheck(item, Item.CONFIGURE) || RequestChecks.hasVariables(value)) {
            return FormValidation.ok();
        }
        return check.get();
    }
}
