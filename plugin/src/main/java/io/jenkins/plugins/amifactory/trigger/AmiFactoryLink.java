package io.jenkins.plugins.amifactory.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.ManagementLink;
import io.amifactory.engine.track.LedgerEntry;
import io.amifactory.engine.track.TrackingStatus;
import io.amifactory.engine.track.push.QueueStatus;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.TrackedImageConfig;
import io.jenkins.plugins.amifactory.forms.FormText;
import io.jenkins.plugins.amifactory.forms.PageTimes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins → "AMI Factory status": per tracked image and region the current AMI, last check and last error
 * (from the ledger), whether a check runs, a "Check now" button, the notification queues, and the paste-in import
 * of a seed-004 {@code tracked_images} YAML (answered by {@link AmiFactoryConfiguration#doImportTrackedImages}).
 */
@Extension
public final class AmiFactoryLink extends ManagementLink {

    @Override
    public String getIconFileName() {
        return "symbol-settings";
    }

    @Override
    public String getDisplayName() {
        return "AMI Factory status";
    }

    @Override
    public String getUrlName() {
        return "ami-factory";
    }

    @Override
    public String getDescription() {
        return "Upstream AMIs the controller watches: current image per region, last check, errors; import tracked images.";
    }

    @NonNull
    @Override
    public Category getCategory() {
        return Category.STATUS;
    }

    /**
     * One row per tracked image and region it is watched in, in the order of the configuration: what the ledger
     * has of it, or "not checked yet". What the ledger still holds of images no longer tracked is not shown.
     */
    public List<StatusRow> getRows() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return status().rows().stream().map(StatusRow::new).toList();
    }

    /**
     * The images the ledger remembers that are no longer configured, comma-separated (their entries are kept, so that
     * an image added again starts no job for an AMI already seen); empty when there are none.
     */
    public String getNoLongerTracked() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return String.join(", ", status().noLongerTracked());
    }

    private static TrackingStatus status() {
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        Map<String, List<String>> tracked = new LinkedHashMap<>();
        for (TrackedImageConfig image : config.getTrackedImages()) {
            tracked.put(image.getName(), FormText.words(image.getRegions()));
        }
        return TrackingStatus.of(LedgerLocation.open().snapshot(), tracked, config.getDefaultRegionList());
    }

    /** One row per notification queue the tracked images name. */
    public List<QueueRow> getQueues() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return NotificationQueues.get().statuses().stream().map(QueueRow::new).toList();
    }

    /** "1 tracked image.", "3 tracked images.", or that there are none yet. */
    public String getTrackedSummary() {
        int n = AmiFactoryConfiguration.get().getTrackedImages().size();
        return n == 0 ? "No tracked images yet." : FormText.count(n, "tracked image") + ".";
    }

    /** Whether a check runs or waits to start: the page then reloads itself until it is done. */
    public boolean isChecking() {
        AmiReleasePoller poller = AmiReleasePoller.get();
        return poller.getCycleStarted() != null || poller.getCheckRequested() != null;
    }

    /** What the poller is doing, or when it last finished a check. */
    public String getCheckState() {
        AmiReleasePoller poller = AmiReleasePoller.get();
        Instant started = poller.getCycleStarted();
        if (started != null) {
            return "Checking the tracked images now (started " + PageTimes.time(started)
                    + "); this page reloads until the check is done.";
        }
        Instant requested = poller.getCheckRequested();
        if (requested != null) {
            return "A check was asked for at " + PageTimes.time(requested) + "; it starts in a moment.";
        }
        Instant finished = poller.getCycleFinished();
        int minutes = AmiFactoryConfiguration.get().getPollIntervalMinutes();
        return finished == null
                ? "No check has run since Jenkins started; they run every " + minutes + " minutes."
                : "Last check finished " + PageTimes.dateTime(finished) + "; they run every " + minutes + " minutes.";
    }

    /** Starts a check at once, in the background; the page says that it runs and reloads until it is done. */
    @POST
    public HttpResponse doCheckNow() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        AmiReleasePoller.get().checkNow();
        return HttpResponses.redirectToDot();
    }

    /** The System page's section: the import button of this page sends the pasted text there. */
    public AmiFactoryConfiguration getConfiguration() {
        return AmiFactoryConfiguration.get();
    }

    /** A tracked image in one region, with getters for the Jelly view. */
    public static final class StatusRow {
        private final String image;
        private final String region;
        @CheckForNull
        private final LedgerEntry entry;

        StatusRow(TrackingStatus.Row row) {
            this.image = row.image();
            this.region = row.region();
            this.entry = row.entry();
        }

        public String getImage() {
            return image;
        }

        public String getRegion() {
            return region;
        }

        public String getImageId() {
            return entry == null || entry.imageId() == null ? "" : entry.imageId();
        }

        public String getImageName() {
            return entry == null || entry.imageName() == null ? "" : entry.imageName();
        }

        public String getCreationDate() {
            return entry == null ? "" : PageTimes.dateTime(entry.creationDate());
        }

        public String getLastChecked() {
            return entry == null || entry.lastChecked() == null ? "not checked yet" : PageTimes.dateTime(entry.lastChecked());
        }

        public String getLastError() {
            return entry == null || entry.lastError() == null ? "" : entry.lastError();
        }
    }

    /** A notification queue's listener, for the Jelly view. */
    public static final class QueueRow {
        private final QueueStatus status;

        QueueRow(QueueStatus status) {
            this.status = status;
        }

        public String getQueueUrl() {
            return status.queueUrl();
        }

        public String getState() {
            return status.state().label();
        }

        public String getLastMessage() {
            return status.lastMessageAt() == null ? "none yet"
                    : PageTimes.dateTime(status.lastMessageAt()) + " (" + status.messages() + " in all)";
        }

        public String getLastError() {
            return status.lastError() == null ? "" : status.lastError()
                    + (status.lastErrorAt() == null ? "" : " (" + PageTimes.dateTime(status.lastErrorAt()) + ")");
        }
    }
}
