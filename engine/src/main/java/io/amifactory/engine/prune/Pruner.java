package io.amifactory.engine.prune;

import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.image.ImageFinder;
import io.amifactory.engine.progress.ProgressListener;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ImageAttributeName;

/**
 * Plan first, act second. {@link #plan} only reads: it lists the selected images and everything that
 * could use them in each region and decides every image. {@link #execute} carries a plan out. A
 * dry run is {@code plan} alone. A region that cannot be planned (say, auto scaling groups cannot be
 * read) is reported and left untouched; the others go ahead.
 */
public final class Pruner {
    private final ClientSource clients;
    private final Clock clock;
    private final ImageFinder finder;
    private final UsageCollector collector;

    public Pruner(ClientSource clients) {
        this(clients, Clock.systemUTC());
    }

    public Pruner(ClientSource clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
        this.finder = new ImageFinder(clients);
        this.collector = new UsageCollector(clients);
    }

    /** Makes the plan. Read-only: no call here changes anything. */
    public PrunePlan plan(PruneRequest request, ProgressListener progress) {
        Instant now = clock.instant();
        PrunePolicy policy = request.policy();
        Instant deprecateAt = policy.deprecateAt() == null ? null : policy.deprecateAt().resolve(now);
        List<RegionPlan> regions = new ArrayList<>();
        for (String region : request.regions()) {
            RegionPlan plan;
            try {
                plan = planRegion(region, request, now, deprecateAt, progress);
            } catch (SdkException e) {
                AwsErrors.throwIfInterruption(e, "planning the prune in " + region + "; nothing was changed");
                plan = RegionPlan.failed(region, "could not plan, nothing will be done here: " + AwsErrors.describe(e));
                progress.warn(region + ": " + plan.error());
            }
            regions.add(plan);
        }
        return new PrunePlan(now.toString(), request.query(), policy, deprecateAt == null ? null : deprecateAt.toString(),
                regions);
    }

    private RegionPlan planRegion(String region, PruneRequest request, Instant now, Instant deprecateAt,
            ProgressListener progress) {
        PrunePolicy policy = request.policy();
        List<PruneCandidate> candidates = new ArrayList<>();
        finder.forEach(region, request.query(), true, image -> candidates.add(PruneCandidate.of(image, policy.family())));
        List<String> warnings = new ArrayList<>();
        List<LeftoverSnapshot> leftovers = leftovers(region, warnings, progress);
        if (candidates.isEmpty()) {
            progress.info(region + ": no image matches " + request.query().describe());
            warnings.forEach(progress::warn);
            return new RegionPlan(region, null, Map.of("images", 0), warnings, List.of(), leftovers);
        }
        progress.info(region + ": " + candidates.size() + " images match " + request.query().describe()
                + "; reading what uses them");
        UsageFacts usage = collector.collect(region, request.inUseParameters(), warnings);
        List<Decision> decisions = PrunePlanner.plan(candidates, usage, policy, now, deprecateAt);
        if (policy.keepShared()) {
            Set<String> shared = sharedAmong(region, decisions);
            if (!shared.isEmpty()) {
                usage = usage.withShared(shared);
                decisions = PrunePlanner.plan(candidates, usage, policy, now, deprecateAt);
            }
        }
        warnings.forEach(progress::warn);
        Map<String, Integer> scanned = new LinkedHashMap<>();
        scanned.put("images", candidates.size());
        scanned.putAll(usage.scanned());
        RegionPlan plan = new RegionPlan(region, null, scanned, warnings, decisions, leftovers);
        progress.info(region + ": plan " + plan.summaryText());
        return plan;
    }

    /**
     * Snapshots an earlier prune left behind. Not finding them is a warning, not a reason to leave the
     * region unplanned: they harm nothing but the bill, and the next prune looks again.
     */
    private List<LeftoverSnapshot> leftovers(String region, List<String> warnings, ProgressListener progress) {
        try {
            List<LeftoverSnapshot> found = SnapshotMarks.leftovers(clients.ec2(region));
            if (!found.isEmpty()) {
                progress.info(region + ": " + found.size() + " snapshot(s) left behind by an earlier prune (their AMI is gone)");
            }
            return found;
        } catch (SdkException e) {
            AwsErrors.throwIfInterruption(e, "planning the prune in " + region + "; nothing was changed");
            warnings.add("could not look for snapshots an earlier prune left behind: " + AwsErrors.describe(e));
            return List.of();
        }
    }

    /** Of the images the plan would act on, those with launch permissions for anyone else. */
    private Set<String> sharedAmong(String region, List<Decision> decisions) {
        Ec2Client ec2 = clients.ec2(region);
        Set<String> shared = new HashSet<>();
        for (Decision d : decisions) {
            if (!d.keep() && !ec2.describeImageAttribute(r -> r.imageId(d.imageId())
                    .attribute(ImageAttributeName.LAUNCH_PERMISSION)).launchPermissions().isEmpty()) {
                shared.add(d.imageId());
            }
        }
        return shared;
    }

    /**
     * Carries out every action of {@code plan}, in regions that were planned. Failures are reported
     * per image and the rest go ahead.
     */
    public PruneReport execute(PrunePlan plan, ProgressListener progress) {
        PruneExecutor executor = new PruneExecutor(clients, clock);
        Instant deprecateAt = plan.deprecateAt() == null ? null : Instant.parse(plan.deprecateAt());
        List<PruneReport.RegionResult> results = new ArrayList<>();
        for (RegionPlan region : plan.regions()) {
            if (region.failed()) {
                results.add(new PruneReport.RegionResult(region.region(), region.error(), null));
            } else {
                results.add(new PruneReport.RegionResult(region.region(), null,
                        executor.execute(region, deprecateAt, progress)));
            }
        }
        return new PruneReport(plan, results);
    }
}
