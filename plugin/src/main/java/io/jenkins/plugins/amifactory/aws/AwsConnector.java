package io.jenkins.plugins.amifactory.aws;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.ProxyConfiguration;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.util.Secret;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.aws.AwsSettings;
import io.amifactory.engine.aws.ProxySettings;
import io.amifactory.engine.aws.RefreshingCredentialsProvider;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
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
    public static AwsClients forSystem(@CheckForNull String credentialsId) {
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
        return new AwsClients(settings(credentials, null, null, null));
    }

    /**
     * Clients for a build: the credential is looked up in the build's context (so the job's own folder
     * credentials and the user's permissions apply) and its use is tracked on the build.
     */
    @NonNull
    public static AwsClients forRun(@NonNull Run<?, ?> run, @CheckForNull String credentialsId,
                                    @CheckForNull String roleArn, @CheckForNull String externalId,
                                    @CheckForNull String homeRegion) throws AbortException {
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
        return new AwsClients(settings(credentials, roleArn, externalId, homeRegion));
    }

    /**
     * The engine's settings: the credential, the role, the administrator's endpoint override, Jenkins' proxy,
     * and the region STS is asked in (the work's region, else the first default region).
     */
    static AwsSettings settings(@CheckForNull AmazonWebServicesCredentials credentials, @CheckForNull String roleArn,
                                @CheckForNull String externalId, @CheckForNull String homeRegion) {
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        AwsSettings.Builder b = AwsSettings.builder()
                .credentials(cached(credentials))
                .role(FormText.blankToNull(roleArn), FormText.blankToNull(externalId))
                .roleSessionName("jenkins-ami-factory");
        String region = FormText.isBlank(homeRegion) && !config.getDefaultRegionList().isEmpty()
                ? config.getDefaultRegionList().get(0) : FormText.blankToNull(homeRegion);
        if (region != null) {
            b.homeRegion(region);
        }
        if (!config.getEndpoint().isEmpty()) {
            b.endpoint(URI.create(config.getEndpoint()));
        }
        ProxySettings proxy = proxy(Jenkins.get().getProxy());
        if (proxy != null) {
            b.proxy(proxy);
        }
        return b.build();
    }

    /** Jenkins' proxy (Manage Jenkins → System → HTTP Proxy), for the engine's clients; null when none is set. */
    @CheckForNull
    static ProxySettings proxy(@CheckForNull ProxyConfiguration jenkins) {
        if (jenkins == null || FormText.isBlank(jenkins.getName())) {
            return null;
        }
        ProxySettings.Builder b = ProxySettings.builder(jenkins.getName().trim(), jenkins.getPort())
                .nonProxyHosts(jenkins.getNoProxyHost());
        if (!FormText.isBlank(jenkins.getUserName())) {
            b.credentials(jenkins.getUserName(), Secret.toString(jenkins.getSecretPassword()));
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
