package io.jenkins.plugins.amifactory.trigger;

import hudson.model.CauseAction;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.amifactory.engine.track.ReleaseEvent;
import java.time.Duration;
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
    /** Builds older than the event by more than this cannot be its builds (clock skew margin). */
    private static final Duration BUILD_LOOKBACK = Duration.ofMinutes(5);

    /** @return how many jobs were scheduled now */
    int dispatch(ReleaseEvent event, TaskListener listener) {
        int scheduled = 0;
        for (Job<?, ?> job : Jenkins.get().allItems(Job.class)) {
            AmiReleaseTrigger trigger = ParameterizedJobMixIn.getTrigger(job, AmiReleaseTrigger.class);
            if (trigger == null || !trigger.matches(event.trackedImage(), event.region())) {
                continue;
            }
            if (alreadyHandled(job, event)) {
                listener.getLogger().println("  " + job.getFullName() + ": already scheduled for " + event.id());
                continue;
            }
            Queue.Item item = ParameterizedJobMixIn.scheduleBuild2(job, -1,
                    new CauseAction(new AmiReleaseCause(event)), new AmiReleaseAction(event));
            if (item == null) {
                listener.getLogger().println("  " + job.getFullName() + ": not scheduled (disabled or refused)");
            } else {
                scheduled++;
                listener.getLogger().println("  " + job.getFullName() + ": scheduled");
            }
        }
        return scheduled;
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
