package io.jenkins.plugins.amifactory.aws;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.security.ACL;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.aws.AwsSettings;
import io.amifactory.engine.aws.RefreshingCredentialsProvider;
import io.jenkins.plugins.amifactory.forms.FormText;
import java.net.URI;
import java.util.Collections;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The credentials bridge: turns (credentials id, role, external id, endpoint) into engine clients.
 *
 * <p>The Jenkins credential is resolved once here and then wrapped in a {@link RefreshingCredentialsProvider}:
 * an aws-credentials entry with a role performs an STS AssumeRole on every resolve, so it must never be
 * handed to the SDK directly. An entry that resolves to nothing (no keys, no role) and an empty id both
 * mean the controller's default chain (instance profile, environment). Nothing secret is logged or put in
 * an exception message.
 */
@Restricted(NoExternalUse.class)
public final class AwsConnector {
    private AwsConnector() {
    }

    /**
     * Clients for work the controller does for itself (the poller, the configuration page): credentials
     * are looked up in the global (system) store as SYSTEM, because only administrators configure them.
     */
    @NonNull
    public static AwsClients forSystem(@CheckForNull String credentialsId, @CheckForNull String roleArn,
                                       @CheckForNull String externalId, @CheckForNull String endpoint) {
        AmazonWebServicesCredentials credentials = null;
        if (!FormText.isBlank(credentialsId)) {
            credentials = CredentialsMatchers.firstOrNull(
                    CredentialsProvider.lookupCredentialsInItemGroup(AmazonWebServicesCredentials.class,
                            Jenkins.get(), ACL.SYSTEM2, Collections.emptyList()),
                    CredentialsMatchers.withId(credentialsId.trim()));
            if (credentials == null) {
                throw new IllegalArgumentException("AWS credentials '" + credentialsId.trim()
                        + "' were not found among the global credentials");
            }
        }
        return new AwsClients(settings(credentials, roleArn, externalId, endpoint));
    }

    /**
     * Clients for a build: the credential is looked up in the build's context (so the job's own folder
     * credentials and the user's permissions apply) and its use is tracked on the build.
     */
    @NonNull
    public static AwsClients forRun(@NonNull Run<?, ?> run, @CheckForNull String credentialsId,
                                    @CheckForNull String roleArn, @CheckForNull String externalId,
                                    @CheckForNull String endpoint) throws AbortException {
        AmazonWebServicesCredentials credentials = null;
        if (!FormText.isBlank(credentialsId)) {
            credentials = CredentialsProvider.findCredentialById(credentialsId.trim(),
                    AmazonWebServicesCredentials.class, run);
            if (credentials == null) {
                throw new AbortException("AWS credentials '" + credentialsId.trim()
                        + "' were not found or may not be used by " + run.getParent().getFullName());
            }
            CredentialsProvider.track(run, credentials);
        }
        return new AwsClients(settings(credentials, roleArn, externalId, endpoint));
    }

    static AwsSettings settings(@CheckForNull AmazonWebServicesCredentials credentials, @CheckForNull String roleArn,
                                @CheckForNull String externalId, @CheckForNull String endpoint) {
        AwsSettings.Builder b = AwsSettings.builder()
                .credentials(cached(credentials))
                .role(FormText.blankToNull(roleArn), FormText.blankToNull(externalId))
                .roleSessionName("jenkins-ami-factory");
        if (!FormText.isBlank(endpoint)) {
            b.endpoint(URI.create(endpoint.trim()));
        }
        return b.build();
    }

    /** Null means "use the SDK default chain" (AwsSettings' rule for a null provider). */
    @CheckForNull
    static AwsCredentialsProvider cached(@CheckForNull AmazonWebServicesCredentials credentials) {
        if (credentials == null) {
            return null;
        }
        AwsCredentials first = credentials.resolveCredentials();
        if (first == null) {
            return null;
        }
        return new RefreshingCredentialsProvider(credentials.getId(), () -> credentials.resolveCredentials())
                .seed(first);
    }
}
