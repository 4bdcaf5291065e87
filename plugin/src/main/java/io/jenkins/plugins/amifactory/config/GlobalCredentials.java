package io.jenkins.plugins.amifactory.config;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.amifactory.forms.FormText;
import java.util.Collections;
import jenkins.model.Jenkins;

/**
 * AWS credentials of the global store, for the forms of the global configuration: the controller's own work
 * (the poller, "Test lookup") uses these, and only administrators see or choose them.
 */
final class GlobalCredentials {
    private GlobalCredentials() {
    }

    static FormValidation check(String id, String emptyMessage) {
        if (FormText.isBlank(id)) {
            return FormValidation.ok(emptyMessage);
        }
        boolean found = CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItemGroup(AmazonWebServicesCredentials.class,
                        Jenkins.get(), ACL.SYSTEM2, Collections.emptyList()),
                CredentialsMatchers.withId(id.trim())) != null;
        return found ? FormValidation.ok()
                : FormValidation.error("No AWS credentials with this id in the global credentials.");
    }

    static ListBoxModel items(String current) {
        String value = current == null ? "" : current;
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return new StandardListBoxModel().includeCurrentValue(value);
        }
        return new StandardListBoxModel()
                .includeEmptyValue()
                .includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), AmazonWebServicesCredentials.class,
                        Collections.emptyList(), CredentialsMatchers.always())
                .includeCurrentValue(value);
    }
}
