package io.jenkins.plugins.amifactory.forms;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.security.Permission;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.StepDefaults;
import java.util.Collections;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.springframework.security.core.Authentication;

/**
 * Form support shared by the steps (Snippet Generator) and the freestyle builders (job configuration): the
 * credentials drop-down of a job, permission checks, and field checks that ask the engine.
 */
@Restricted(NoExternalUse.class)
public final class StepForms {
    private StepForms() {
    }

    /**
     * AWS credentials the job may use, as the job's own authentication sees them. Without permission on
     * the job only the current value is shown, so that credential ids cannot be listed by anyone.
     */
    public static ListBoxModel credentialsItems(@CheckForNull Item item, @CheckForNull String current) {
        String value = current == null ? "" : current;
        StandardListBoxModel model = new StandardListBoxModel();
        if (item == null) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                model.includeCurrentValue(value);
                return model;
            }
            model.includeEmptyValue()
                    .includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), AmazonWebServicesCredentials.class,
                            Collections.emptyList(), CredentialsMatchers.always())
                    .includeCurrentValue(value);
            return model;
        }
        if (!item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
            model.includeCurrentValue(value);
            return model;
        }
        Authentication auth = item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
        model.includeEmptyValue()
                .includeMatchingAs(auth, item, AmazonWebServicesCredentials.class, Collections.emptyList(),
                        CredentialsMatchers.always())
                .includeCurrentValue(value);
        return model;
    }

    /**
     * Whether a form check may answer: outside a job (the global Snippet Generator) administrators, inside one the
     * given permission on it. The checks only judge the text typed, so without permission they answer "ok"
     * instead of refusing: refusing paints every field of the Snippet Generator red for everyone else.
     */
    public static boolean mayCheck(@CheckForNull Item item, Permission permission) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(permission);
    }

    /**
     * A step's or builder's AWS credentials: required, unless an administrator let steps without credentials run
     * as the steps' default identity (then empty says which identity that is).
     */
    public static FormValidation credentials(String value) {
        if (!FormText.isBlank(value)) {
            return FormValidation.ok();
        }
        StepDefaults steps = AmiFactoryConfiguration.get().getSteps();
        return steps.isAllowDefaultIdentity()
                ? FormValidation.ok("Empty: the steps' default identity (" + steps.describe() + ").")
                : FormValidation.error("Required: steps without AWS credentials may not run as the controller's AWS "
                        + "identity (an administrator can allow it on Manage Jenkins > System > AMI Factory: steps).");
    }

    public static FormValidation region(String value) {
        if (FormText.isBlank(value)) {
            return FormValidation.ok("Empty: the default regions of the AMI Factory configuration.");
        }
        return EngineChecks.regions(value);
    }

    public static FormValidation roleArn(String value) {
        if (FormText.isBlank(value)) {
            return FormValidation.ok("Empty: the role of AMI Factory: steps (Manage Jenkins > System), if any.");
        }
        return EngineChecks.roleArn(value);
    }
}
