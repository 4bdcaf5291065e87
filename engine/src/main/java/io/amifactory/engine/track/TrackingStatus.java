package io.amifactory.engine.track;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the ledger knows of the images tracked now: one row per tracked image and region it is watched in, in the
 * order of the configuration. The ledger keeps what it saw of images and regions no longer watched (so that an
 * image removed and added again does not fire for an AMI already seen); those are left out of the rows and only
 * named in {@link #noLongerTracked()}.
 *
 * @param rows            per tracked image and region, what the last check found
 * @param noLongerTracked images the ledger has entries for that are no longer tracked
 */
public record TrackingStatus(List<Row> rows, List<String> noLongerTracked) {

    /**
     * @param entry what the ledger has for the pair, or null when it has not been checked yet
     */
    public record Row(String image, String region, LedgerEntry entry) {
    }

    public TrackingStatus {
        rows = List.copyOf(rows);
        noLongerTracked = List.copyOf(noLongerTracked);
    }

    /**
     * @param ledger         the ledger's content ({@link Ledger#snapshot()})
     * @param regionsByImage every tracked image's name, in order, with its own regions (empty: the defaults)
     * @param defaultRegions the regions of images that list none
     */
    public static TrackingStatus of(Map<String, Map<String, LedgerEntry>> ledger, Map<String, List<String>> regionsByImage,
            List<String> defaultRegions) {
        List<Row> rows = new ArrayList<>();
        regionsByImage.forEach((image, own) -> {
            Map<String, LedgerEntry> seen = ledger.getOrDefault(image, Map.of());
            for (String region : TrackedImage.regionsOr(own, defaultRegions)) {
                rows.add(new Row(image, region, seen.get(region)));
            }
        });
        List<String> gone = new ArrayList<>(ledger.keySet());
        gone.removeAll(regionsByImage.keySet());
        return new TrackingStatus(rows, gone);
    }
}
