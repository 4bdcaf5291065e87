package io.amifactory.engine.track;

import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.image.ImageOrder;
import io.amifactory.engine.progress.ProgressListener;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks tracked images against their upstream: resolves every (image, region) pair in one cycle
 * ({@link UpstreamResolver}), compares with the {@link Ledger}, records what changed, and hands out a
 * {@link ReleaseEvent} for every new AMI until it is acknowledged.
 *
 * <p>The rules (docs/tracking.md): first sight is a baseline and fires nothing; a new AMI fires once and
 * never again, even if upstream later moves back to it; a move to an AMI seen before, or older than the
 * recorded one, is "reverted" and fires nothing; an error keeps the record as it was.
 */
public final class Tracker {
    /**
     * Regions resolved at once. AWS has fewer regions than this, so a cycle over all of them runs in one
     * wave and takes as long as its busiest region (calls within a region are sequential).
     */
    public static final int DEFAULT_PARALLELISM = 40;

    private final ClientSource clients;
    private final Ledger ledger;
    private final ProgressListener progress;
    private final Clock clock;
    private final int parallelism;

    public Tracker(ClientSource clients, Ledger ledger, ProgressListener progress) {
        this(clients, ledger, progress, Clock.systemUTC(), DEFAULT_PARALLELISM);
    }

    public Tracker(ClientSource clients, Ledger ledger, ProgressListener progress, Clock clock, int parallelism) {
        this.clients = Objects.requireNonNull(clients);
        this.ledger = Objects.requireNonNull(ledger);
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.clock = Objects.requireNonNull(clock);
        this.parallelism = parallelism;
    }

    /** One cycle over {@code images}; an image that names no regions is checked in {@code defaultRegions}. */
    public CheckReport check(List<TrackedImage> images, List<String> defaultRegions) {
        List<UpstreamResolver.Pair> pairs = pairs(images, defaultRegions);
        progress.info("Checking " + images.size() + " tracked image(s): " + pairs.size() + " image-region pair(s)");
        return ledger.update(state -> {
            Map<String, UpstreamResolver.KnownImage> known = knownImages(state);
            List<Resolution> resolved = resolver().resolve(pairs, known::get);
            Instant now = clock.instant();
            List<CheckResult> results = new ArrayList<>();
            for (TrackedImage image : images) {
                if (regionsOf(image, defaultRegions).isEmpty()) {
                    results.add(new CheckResult(image.name(), null, null, null, null, null, CheckStatus.ERROR,
                            "no region: list regions for the image, give defaults, or configure a default region"));
                }
            }
            for (int i = 0; i < pairs.size(); i++) {
                results.add(record(state, pairs.get(i).image(), resolved.get(i), now));
            }
            results.sort(java.util.Comparator.comparingInt(r -> indexOf(images, r.image())));
            return new CheckReport(results, List.copyOf(state.pending));
        });
    }

    /** Resolves {@code image} now without recording anything (the "Test lookup" button). */
    public List<Resolution> lookup(TrackedImage image, List<String> defaultRegions) {
        Map<String, UpstreamResolver.KnownImage> none = Map.of();
        return resolver().resolve(pairs(List.of(image), defaultRegions), none::get);
    }

    /**
     * The current upstream AMI of {@code image} in {@code region}, resolved exactly as a check would (the
     * image's role, newest by {@link ImageOrder}, available images only); records nothing. Builds use it
     * so that "current" means the same thing to the build as to the tracker.
     */
    public static Resolution current(ClientSource clients, TrackedImage image, String region) {
        return new UpstreamResolver(clients, 1, ProgressListener.NONE)
                .resolve(List.of(new UpstreamResolver.Pair(image, region)), id -> null).get(0);
    }

    public List<ReleaseEvent> pendingEvents() {
        return ledger.pendingEvents();
    }

    /** Call once the event was handled (printed, jobs scheduled); until then it is handed out again. */
    public void acknowledge(String eventId) {
        ledger.acknowledge(eventId);
    }

    private UpstreamResolver resolver() {
        return new UpstreamResolver(clients, parallelism, progress);
    }

    private CheckResult record(Ledger.State state, TrackedImage image, Resolution r, Instant now) {
        LedgerEntry old = state.get(image.name(), r.region());
        String previous = old == null ? null : old.imageId();
        if (!r.ok()) {
            state.put(image.name(), r.region(), old == null
                    ? new LedgerEntry(null, null, null, null, now, r.error(), List.of())
                    : new LedgerEntry(old.imageId(), old.imageName(), old.creationDate(), old.firstSeen(), now,
                            r.error(), old.history()));
            progress.warn(image.name() + " in " + r.region() + ": " + r.error());
            return new CheckResult(image.name(), r.region(), null, null, null, previous, CheckStatus.ERROR, r.error());
        }
        CheckStatus status;
        if (previous == null) {
            status = CheckStatus.BASELINE;
        } else if (previous.equals(r.imageId())) {
            status = CheckStatus.UNCHANGED;
        } else if (old.history().contains(r.imageId()) || olderThan(r.creationDate(), old.creationDate())) {
            status = CheckStatus.REVERTED;
        } else {
            status = CheckStatus.NEW;
        }
        if (status == CheckStatus.UNCHANGED) {
            state.put(image.name(), r.region(), new LedgerEntry(old.imageId(),
                    r.imageName() != null ? r.imageName() : old.imageName(),
                    r.creationDate() != null ? r.creationDate() : old.creationDate(),
                    old.firstSeen(), now, null, old.history()));
        } else {
            List<String> history = new ArrayList<>();
            history.add(r.imageId());
            if (old != null) {
                old.history().stream().filter(id -> !id.equals(r.imageId())).forEach(history::add);
            }
            state.put(image.name(), r.region(), new LedgerEntry(r.imageId(), r.imageName(), r.creationDate(), now, now,
                    null, history.subList(0, Math.min(Ledger.HISTORY_SIZE, history.size()))));
        }
        if (status == CheckStatus.NEW) {
            ReleaseEvent event = ReleaseEvent.of(image, r.region(), r.imageId(), r.imageName(), r.creationDate(),
                    previous, now);
            state.pending.removeIf(e -> e.id().equals(event.id()));
            state.pending.add(event);
            progress.info("New upstream AMI for " + image.name() + " in " + r.region() + ": " + r.imageId()
                    + (r.imageName() == null ? "" : " (" + r.imageName() + ")") + ", was " + previous);
        } else if (status == CheckStatus.REVERTED) {
            progress.warn(image.name() + " in " + r.region() + " moved back from " + previous + " to " + r.imageId()
                    + "; recorded, no event fired");
        }
        return new CheckResult(image.name(), r.region(), r.imageId(), r.imageName(), r.creationDate(),
                status == CheckStatus.BASELINE ? null : previous, status, null);
    }

    /** True only when both dates are known and {@code candidate} is strictly older. */
    private static boolean olderThan(String candidate, String current) {
        if (candidate == null || current == null) {
            return false;
        }
        return ImageOrder.creationInstant(candidate).isBefore(ImageOrder.creationInstant(current));
    }

    private static Map<String, UpstreamResolver.KnownImage> knownImages(Ledger.State state) {
        Map<String, UpstreamResolver.KnownImage> known = new HashMap<>();
        state.entries.values().forEach(regions -> regions.values().forEach(e -> {
            if (e.imageId() != null && e.imageName() != null) {
                known.put(e.imageId(), new UpstreamResolver.KnownImage(e.imageName(), e.creationDate()));
            }
        }));
        return known;
    }

    private static List<UpstreamResolver.Pair> pairs(List<TrackedImage> images, List<String> defaultRegions) {
        List<UpstreamResolver.Pair> pairs = new ArrayList<>();
        for (TrackedImage image : images) {
            for (String region : regionsOf(image, defaultRegions)) {
                pairs.add(new UpstreamResolver.Pair(image, region));
            }
        }
        return pairs;
    }

    private static List<String> regionsOf(TrackedImage image, List<String> defaultRegions) {
        return TrackedImage.regionsOr(image.regions(), defaultRegions);
    }

    private static int indexOf(List<TrackedImage> images, String name) {
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i).name().equals(name)) {
                return i;
            }
        }
        return images.size();
    }
}
