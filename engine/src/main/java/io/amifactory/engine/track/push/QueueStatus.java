package io.amifactory.engine.track.push;

import java.time.Instant;

/**
 * How one notification queue's listener is doing, for a status page: whether it listens, when the last message
 * came, how many came, and the last error (kept after the listener recovered, with its time, so that a page can
 * show "failed at 10:02, listening since").
 *
 * @param queueUrl      the queue
 * @param state         starting, listening, failing (retrying) or stopped
 * @param lastMessageAt when the last message was received, or null
 * @param messages      messages received since the listener started
 * @param lastError     the last error (names the queue and the reason), or null
 * @param lastErrorAt   when it happened, or null
 */
public record QueueStatus(String queueUrl, State state, Instant lastMessageAt, long messages, String lastError,
        Instant lastErrorAt) {
    /** What a listener is doing. */
    public enum State {
        STARTING, LISTENING, FAILING, STOPPED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static QueueStatus starting(String queueUrl) {
        return new QueueStatus(queueUrl, State.STARTING, null, 0, null, null);
    }

    QueueStatus listening() {
        return new QueueStatus(queueUrl, State.LISTENING, lastMessageAt, messages, lastError, lastErrorAt);
    }

    QueueStatus received(int count, Instant at) {
        return new QueueStatus(queueUrl, State.LISTENING, at, messages + count, lastError, lastErrorAt);
    }

    QueueStatus failed(String error, Instant at) {
        return new QueueStatus(queueUrl, State.FAILING, lastMessageAt, messages, error, at);
    }

    QueueStatus stopped() {
        return new QueueStatus(queueUrl, State.STOPPED, lastMessageAt, messages, lastError, lastErrorAt);
    }
}
