package io.jenkins.plugins.amifactory.trigger;

import hudson.model.Cause;
import io.amifactory.engine.track.ReleaseEvent;

/** "New upstream AMI ami-… (name) for al2023 in eu-west-1": why a build was started. */
public final class AmiReleaseCause extends Cause {
    private final String eventId;
    private final String trackedImage;
    private final String region;
    private final String imageId;
    private final String imageName;

    public AmiReleaseCause(ReleaseEvent event) {
        this.eventId = event.id();
        this.trackedImage = event.trackedImage();
        this.region = event.region();
        this.imageId = event.imageId();
        this.imageName = event.imageName();
    }

    @Override
    public String getShortDescription() {
        String name = imageName == null || imageName.isEmpty() ? "" : " (" + imageName + ")";
        return "New upstream AMI " + imageId + name + " for " + trackedImage + " in " + region;
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
}
