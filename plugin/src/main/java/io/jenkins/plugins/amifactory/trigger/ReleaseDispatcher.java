package io.jenkins.plugins.amifactory.trigger;

import hudson.model.CauseAction;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.amifactory.engine.track.ReleaseEvent;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.model.ParameterizedJobMixIn;

/**
 * Schedules, once, every job whose {@link AmiReleaseTrigger} matches a release event.
 *
 * <p>"Once" holds across a crash: the poller acknowledges an event only after this returns, so after a
 * restart the same event may be dispatched again; a job that already has a queued item or a build for
 * the event id is skipped rather than scheduled a second time.
 */
final class ReleaseDispatcher {
    private static final Logger LOGGER = Logger.getLogger(ReleaseDispatcher.class.getName());
    /** Builds older than the event by more than this cannot be its builds (clock skew margin). */
    private static final Duration BUILD_LOOKBACK = Duration.ofMinutes(5);

    /**
     * A job that throws (a hand-edited configuration, another plugin's fault) is logged and skipped: it must not
     * keep the other jobs from their release, nor keep the event pending for ever.
     *
     * @return how many jobs were scheduled now
     */
    int dispatch(ReleaseEvent event, TaskListener listener) {
        int scheduled = 0;
        for (Job<?, ?> job : Jenkins.get().allItems(Job.class)) {
            try {
                scheduled += dispatchTo(job, event, listener);
            } catch (RuntimeException e) {
                listener.getLogger().println("  " + job.getFullName() + ": NOT scheduled, it failed: " + e
                        + " (start it by hand for " + event.imageId() + ")");
                LOGGER.log(Level.WARNING, "Cannot dispatch " + event.id() + " to " + job.getFullName(), e);
            }
        }
        return scheduled;
    }

    private static int dispatchTo(Job<?, ?> job, ReleaseEvent event, TaskListener listener) {
        AmiReleaseTrigger trigger = ParameterizedJobMixIn.getTrigger(job, AmiReleaseTrigger.class);
        if (trigger == null || !trigger.matches(event.trackedImage(), event.region())) {
            return 0;
        }
        if (alreadyHandled(job, event)) {
            listener.getLogger().println("  " + job.getFullName() + ": already scheduled for " + event.id());
            return 0;
        }
        Queue.Item item = ParameterizedJobMixIn.scheduleBuild2(job, -1,
                new CauseAction(new AmiReleaseCause(event)), new AmiReleaseAction(event));
        if (item == null) {
            listener.getLogger().println("  " + job.getFullName() + ": not scheduled (disabled or refused)");
            return 0;
        }
        listener.getLogger().println("  " + job.getFullName() + ": scheduled");
        return 1;
    }

    private static boolean alreadyHandled(Job<?, ?> job, ReleaseEvent event) {
        if (job instanceof Queue.Task task) {
            for (Queue.Item item : Jenkins.get().getQueue().getItems(task)) {
                AmiReleaseAction a = item.getAction(AmiReleaseAction.class);
                if (a != null && event.id().equals(a.getEventId())) {
                    return true;
                }
            }
        }
        long since = event.detectedAt().minus(BUILD_LOOKBACK).toEpochMilli();
        for (Run<?, ?> run : job.getBuilds()) {
            if (run.getTimeInMillis() < since) {
                break;
            }
            for (AmiReleaseAction a : run.getActions(AmiReleaseAction.class)) {
                if (event.id().equals(a.getEventId())) {
                    return true;
                }
            }
        }
        return false;
    }
}
