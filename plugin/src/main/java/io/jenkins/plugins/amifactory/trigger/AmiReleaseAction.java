package io.jenkins.plugins.amifactory.trigger;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.model.Action;
import hudson.model.EnvironmentContributingAction;
import hudson.model.InvisibleAction;
import hudson.model.Queue;
import hudson.model.Run;
import io.amifactory.engine.track.ReleaseEvent;
import java.util.List;

/**
 * Carries a release event into the build it started: contributes AMI_ID, AMI_NAME, AMI_REGION,
 * AMI_PREVIOUS_ID, AMI_TRACKED_IMAGE and AMI_RELEASE_EVENT (the event JSON) to freestyle and Pipeline
 * builds alike, without making the job parameterized. As a queue action it keeps two different events
 * from being merged into one queued build.
 */
public final class AmiReleaseAction extends InvisibleAction implements EnvironmentContributingAction, Queue.QueueAction {
    private final String eventId;
    private final String trackedImage;
    private final String region;
    private final String imageId;
    private final String imageName;
    private final String previousImageId;
    private final String eventJson;

    public AmiReleaseAction(ReleaseEvent event) {
        this.eventId = event.id();
        this.trackedImage = event.trackedImage();
        this.region = event.region();
        this.imageId = event.imageId();
        this.imageName = event.imageName();
        this.previousImageId = event.previousImageId();
        this.eventJson = event.toJson();
    }

    public String getEventId() {
        return eventId;
    }

    public String getTrackedImage() {
        return trackedImage;
    }

    public String getRegion() {
        return region;
    }

    public String getImageId() {
        return imageId;
    }

    public String getImageName() {
        return imageName;
    }

    public String getPreviousImageId() {
        return previousImageId;
    }

    public String getEventJson() {
        return eventJson;
    }

    @Override
    public void buildEnvironment(@NonNull Run<?, ?> run, @NonNull EnvVars env) {
        // EnvVars refuses null values; an absent previous image (or name) is the empty string.
        env.put("AMI_ID", nonNull(imageId));
        env.put("AMI_NAME", nonNull(imageName));
        env.put("AMI_REGION", nonNull(region));
        env.put("AMI_PREVIOUS_ID", nonNull(previousImageId));
        env.put("AMI_TRACKED_IMAGE", nonNull(trackedImage));
        env.put("AMI_RELEASE_EVENT", nonNull(eventJson));
    }

    /** A queued build for another event (or for no event) must not absorb this one. */
    @Override
    public boolean shouldSchedule(List<Action> actions) {
        for (Action a : actions) {
            if (a instanceof AmiReleaseAction other && eventId.equals(other.eventId)) {
                return false;
            }
        }
        return true;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
