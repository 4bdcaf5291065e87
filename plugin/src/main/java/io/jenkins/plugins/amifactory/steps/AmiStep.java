package io.jenkins.plugins.amifactory.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.amifactory.aws.AwsAccess;
import io.jenkins.plugins.amifactory.forms.FormText;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * What every AMI Factory step takes besides its own arguments: the AWS identity ({@code credentialsId},
 * {@code roleArn}, {@code externalId}; else the global defaults) and the {@code region}.
 */
public abstract class AmiStep extends Step {
    private String credentialsId;
    private String roleArn;
    private String externalId;
    private String region;

    /** An aws-credentials id; empty means the global default credentials. */
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

    @CheckForNull
    public String getRegion() {
        return region;
    }

    @DataBoundSetter
    public void setRegion(String region) {
        this.region = FormText.blankToNull(region);
    }

    /** The identity this step acts as; checked before any AWS call. */
    AwsAccess access() {
        return AwsAccess.of(credentialsId, roleArn, externalId, getDescriptor().getFunctionName());
    }

    /** The form's common fields, for the descriptors' {@code newInstance}. */
    void bindCommon(JSONObject form) {
        setCredentialsId(form.optString("credentialsId"));
        setRoleArn(form.optString("roleArn"));
        setExternalId(form.optString("externalId"));
        setRegion(form.optString("region"));
    }
}
