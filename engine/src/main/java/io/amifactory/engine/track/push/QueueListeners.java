package io.amifactory.engine.track.push;

import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.aws.QueueUrls;
import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.track.TrackedImage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One {@link QueueListener} per notification queue, however many tracked images (or jobs) name it. The set
 * follows the configuration: {@link #listenTo} starts listeners for new queues and stops those no longer named.
 * Queues are read with the factory's own clients (not a tracked image's role): the queue is the factory's,
 * the topic it is subscribed to is upstream's.
 *
 * <pre>{@code
 * QueueListeners queues = new QueueListeners(clients, "us-east-1", (url, n) -> recheck(imagesByQueue.get(url)),
 *         progress, Clock.systemUTC());
 * queues.listenTo(QueueListeners.imagesByQueue(images).keySet());
 * queues.statuses();   // per queue: state, last message, last error
 * queues.close();
 * }</pre>
 */
public final class QueueListeners implements AutoCloseable {
    private final ClientSource clients;
    private final String fallbackRegion;
    private final QueueListener.Handler handler;
    private final ProgressListener progress;
    private final Clock clock;
    private final Map<String, QueueListener> listeners = new LinkedHashMap<>();

    /**
     * @param fallbackRegion the region of the SQS client for a queue URL that names none (an emulator's)
     * @param handler        called on a listener's thread with each batch of messages; see {@link QueueListener}
     */
    public QueueListeners(ClientSource clients, String fallbackRegion, QueueListener.Handler handler,
            ProgressListener progress, Clock clock) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.fallbackRegion = Objects.requireNonNull(fallbackRegion, "fallbackRegion");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The tracked images naming each queue, queues in first-named order; images without a queue are left out. */
    public static Map<String, List<TrackedImage>> imagesByQueue(Collection<TrackedImage> images) {
        Map<String, List<TrackedImage>> out = new LinkedHashMap<>();
        for (TrackedImage i : images) {
            if (i.notificationQueue() != null) {
                out.computeIfAbsent(i.notificationQueue(), q -> new ArrayList<>()).add(i);
            }
        }
        return out;
    }

    /** Listens to exactly these queues from now on: starts the new ones, stops the others. */
    public synchronized void listenTo(Collection<String> queueUrls) {
        Set<String> wanted = new LinkedHashSet<>(queueUrls);
        for (Iterator<Map.Entry<String, QueueListener>> it = listeners.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, QueueListener> e = it.next();
            if (!wanted.contains(e.getKey())) {
                e.getValue().close();
                it.remove();
            }
        }
        for (String url : wanted) {
            if (!listeners.containsKey(url)) {
                String region = QueueUrls.region(url) != null ? QueueUrls.region(url) : fallbackRegion;
                QueueListener l = new QueueListener(clients.sqs(region), url, handler, progress, clock);
                listeners.put(url, l);
                l.start();
            }
        }
    }

    /** Each queue's status, in the order the queues were named. */
    public synchronized List<QueueStatus> statuses() {
        return listeners.values().stream().map(QueueListener::status).toList();
    }

    @Override
    public synchronized void close() {
        listeners.values().forEach(QueueListener::close);
        listeners.clear();
    }
}
