package io.jenkins.plugins.amifactory.trigger;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Failure;
import hudson.model.ManagementLink;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.track.LedgerEntry;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.TrackedImagesFile;
import io.amifactory.engine.track.TrackedImagesLoader;
import io.amifactory.engine.track.push.QueueStatus;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.TrackedImageConfig;
import io.jenkins.plugins.amifactory.forms.FormText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins → "AMI Factory status": per tracked image and region the current AMI, last check and
 * last error (from the ledger), a "check now" button, and the paste-in import of a seed-004
 * {@code tracked_images} YAML.
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

    /** One row per tracked image and region, as the ledger has them. */
    public List<StatusRow> getRows() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        List<StatusRow> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, LedgerEntry>> image : LedgerLocation.open().snapshot().entrySet()) {
            for (Map.Entry<String, LedgerEntry> region : image.getValue().entrySet()) {
                rows.add(new StatusRow(image.getKey(), region.getKey(), region.getValue()));
            }
        }
        return rows;
    }

    /** One row per notification queue the tracked images name. */
    public List<QueueRow> getQueues() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return NotificationQueues.get().statuses().stream().map(QueueRow::new).toList();
    }

    public int getTrackedImageCount() {
        return AmiFactoryConfiguration.get().getTrackedImages().size();
    }

    /** Runs a check within a minute instead of at the next interval. */
    @POST
    public HttpResponse doCheckNow() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        AmiReleasePoller.get().requestCycle();
        return HttpResponses.redirectToDot();
    }

    /**
     * Parses the pasted YAML with the engine's loader (seed 004's format or our own) and adds the images,
     * replacing those of the same name. Nothing is changed when any part is invalid; the error names the
     * line and field.
     */
    @POST
    public HttpResponse doImportTrackedImages(@QueryParameter String yaml) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (FormText.isBlank(yaml)) {
            throw new Failure("Paste a tracked_images YAML document first.");
        }
        TrackedImagesFile file;
        try {
            file = TrackedImagesLoader.parse("pasted YAML", yaml);
        } catch (InputException e) {
            throw new Failure(e.getMessage());
        }
        List<TrackedImageConfig> imported = new ArrayList<>();
        for (TrackedImage image : file.images()) {
            imported.add(TrackedImageConfig.fromEngine(image, file.defaultRegions()));
        }
        AmiFactoryConfiguration.get().mergeTrackedImages(imported);
        return HttpResponses.redirectToDot();
    }

    /** A ledger row with getters for the Jelly view. */
    public static final class StatusRow {
        private final String image;
        private final String region;
        private final LedgerEntry entry;

        StatusRow(String image, String region, LedgerEntry entry) {
            this.image = image;
            this.region = region;
            this.entry = entry;
        }

        public String getImage() {
            return image;
        }

        public String getRegion() {
            return region;
        }

        public String getImageId() {
            return entry.imageId() == null ? "" : entry.imageId();
        }

        public String getImageName() {
            return entry.imageName() == null ? "" : entry.imageName();
        }

        public String getCreationDate() {
            return entry.creationDate() == null ? "" : entry.creationDate();
        }

        public String getLastChecked() {
            return entry.lastChecked() == null ? "never" : entry.lastChecked().toString();
        }

        public String getLastError() {
            return entry.lastError() == null ? "" : entry.lastError();
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
            return status.lastMessageAt() == null ? "none yet" : status.lastMessageAt() + " (" + status.messages() + " in all)";
        }

        public String getLastError() {
            return status.lastError() == null ? "" : status.lastError()
                    + (status.lastErrorAt() == null ? "" : " (" + status.lastErrorAt() + ")");
        }
    }
}
