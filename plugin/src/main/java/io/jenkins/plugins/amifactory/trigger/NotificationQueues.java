package io.jenkins.plugins.amifactory.trigger;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.init.Terminator;
import hudson.util.LogTaskListener;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.track.push.QueueListeners;
import io.amifactory.engine.track.push.QueueStatus;
import io.jenkins.plugins.amifactory.aws.AwsConnector;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.TrackedImageConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Listens to the SQS queues the tracked images name (their notification queue), one listener per queue however
 * many images or jobs name it, and per set of credentials that reads them. A message makes the poller check the
 * images that name the queue at once ({@link AmiReleasePoller#checkNotified}); the message is a hint only, the
 * AMI still comes from the image's source, and it is deleted once the jobs are scheduled. Polling goes on as the
 * safety net. The listeners follow the configuration: the poller hands it over every minute.
 */
@Extension
public final class NotificationQueues {
    private static final Logger LOGGER = Logger.getLogger(NotificationQueues.class.getName());

    /** Listeners per tracking credentials id ("" = the controller's own), with the endpoint they were made for. */
    private final Map<String, Listening> byCredentials = new LinkedHashMap<>();
    /** Queues that cannot be listened to at all (no such credentials), with why. */
    private final Map<String, QueueStatus> cannotListen = new LinkedHashMap<>();

    private record Listening(String endpoint, AwsClients clients, QueueListeners listeners) {
    }

    @NonNull
    public static NotificationQueues get() {
        return ExtensionList.lookupSingleton(NotificationQueues.class);
    }

    /** Starts the listeners queues newly named need and stops those no image names any more. */
    public synchronized void follow(AmiFactoryConfiguration config) {
        Map<String, Set<String>> wanted = new LinkedHashMap<>();
        for (TrackedImageConfig image : config.getTrackedImages()) {
            if (!image.getNotificationQueue().isEmpty()) {
                wanted.computeIfAbsent(image.effectiveCredentialsId(config.getTracking()), k -> new LinkedHashSet<>())
                        .add(image.getNotificationQueue());
            }
        }
        for (String credentialsId : new ArrayList<>(byCredentials.keySet())) {
            Listening l = byCredentials.get(credentialsId);
            if (!wanted.containsKey(credentialsId) || !Objects.equals(l.endpoint(), config.getEndpoint())) {
                stop(byCredentials.remove(credentialsId));
            }
        }
        cannotListen.clear();
        List<String> regions = config.getDefaultRegionList();
        String fallbackRegion = regions.isEmpty() ? "us-east-1" : regions.get(0);
        wanted.forEach((credentialsId, queues) -> {
            Listening l = byCredentials.get(credentialsId);
            if (l == null) {
                try {
                    AwsClients clients = AwsConnector.forSystem(credentialsId);
                    l = new Listening(config.getEndpoint(), clients, new QueueListeners(clients, fallbackRegion,
                            (url, messages) -> AmiReleasePoller.get().checkNotified(url,
                                    new LogTaskListener(LOGGER, Level.INFO)),
                            line -> LOGGER.info(line), Clock.systemUTC()));
                    byCredentials.put(credentialsId, l);
                } catch (RuntimeException e) {
                    LOGGER.log(Level.WARNING, "Cannot listen to " + queues + ": " + e.getMessage(), e);
                    Instant now = Instant.now();
                    queues.forEach(q -> cannotListen.put(q,
                            new QueueStatus(q, QueueStatus.State.FAILING, null, 0, e.getMessage(), now)));
                    return;
                }
            }
            l.listeners().listenTo(queues);
        });
    }

    /** Per queue: listening or failing, the last message, the last error. */
    public synchronized List<QueueStatus> statuses() {
        List<QueueStatus> out = new ArrayList<>(cannotListen.values());
        byCredentials.values().forEach(l -> out.addAll(l.listeners().statuses()));
        return out;
    }

    private static void stop(Listening l) {
        l.listeners().close();
        l.clients().close();
    }

    @Terminator(displayName = "Stopping the AMI Factory notification queue listeners")
    public static void stopAll() {
        NotificationQueues queues = ExtensionList.lookupSingleton(NotificationQueues.class);
        synchronized (queues) {
            queues.byCredentials.values().forEach(NotificationQueues::stop);
            queues.byCredentials.clear();
        }
    }
}
