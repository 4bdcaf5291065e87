package io.amifactory.bench;

import io.amifactory.engine.Tags;
import io.amifactory.engine.image.FakeCloud;
import io.amifactory.engine.image.ImageQuery;
import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.prune.Decision;
import io.amifactory.engine.prune.FamilyRule;
import io.amifactory.engine.prune.PruneAction;
import io.amifactory.engine.prune.PruneCandidate;
import io.amifactory.engine.prune.PrunePlan;
import io.amifactory.engine.prune.PrunePlanner;
import io.amifactory.engine.prune.PrunePolicy;
import io.amifactory.engine.prune.PruneRequest;
import io.amifactory.engine.prune.Pruner;
import io.amifactory.engine.prune.UsageFacts;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The prune planner at scale: {@code images} own AMIs in {@code families} families, {@code instances}
 * instances and {@code versions} launch-template versions referencing random images.
 *
 * <ol>
 *   <li><b>planner</b>: index the usage facts (one hash entry per referenced image) and plan every image;
 *       the AWS-free core, measured alone.</li>
 *   <li><b>whole plan</b>: the same account in the in-memory SDK fakes (pages of 1000), through
 *       {@link Pruner#plan}: listing, conversion to lean records, usage collection and planning.</li>
 * </ol>
 * Times are the median of {@code runs} after {@code warmups}. Heap, both measured above what was live
 * before the step (the inputs; for step 2 the fake account itself): retained = live heap after GC
 * with the result held; peak = the sum of the heap pools' peaks during the step (an upper bound:
 * pools peak at different moments; garbage not yet collected counts).
 *
 * <p>{@code java -jar bench/target/amifactory-bench.jar prune-plan [--images N] [--instances N]
 * [--versions N] [--families N] [--runs N] [--warmups N]}
 */
public final class PrunePlanBench {
    private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
    private static final String REGION = "us-east-1";

    private PrunePlanBench() {
    }

    public static void run(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        int images = intOption(options, "images", 100_000);
        int instances = intOption(options, "instances", 50_000);
        int versions = intOption(options, "versions", 10_000);
        int families = intOption(options, "families", 1_000);
        int runs = intOption(options, "runs", 5);
        int warmups = intOption(options, "warmups", 2);
        PrunePolicy policy = new PrunePolicy(3, Duration.ofDays(90), PruneAction.DEREGISTER, null,
                new FamilyRule(Tags.TRACKED_IMAGE), false);

        System.out.printf("prune-plan: %,d images in %,d families, %,d instances, %,d launch-template versions; "
                + "keep 3 per family, max age 90d%n%n", images, families, instances, versions);
        System.out.println("| Step | Median time (ms) | Retained heap (MB) | Peak heap while running (MB) |");
        System.out.println("|---|---:|---:|---:|");
        planner(images, instances, versions, families, runs, warmups, policy);
        wholePlan(images, instances, versions, families, runs, warmups, policy);
    }

    // ---- 1: the planner alone

    private static void planner(int images, int instances, int versions, int families, int runs, int warmups,
            PrunePolicy policy) {
        long empty = usedAfterGc();
        List<PruneCandidate> candidates = candidates(images, families);
        System.out.printf("| input: %,d lean image records (what the pruner keeps per image while planning) | | %.1f | |%n",
                images, mb(usedAfterGc() - empty));
        References refs = new References(images, instances, versions);
        long[] factsTimes = new long[runs];
        long[] planTimes = new long[runs];
        long peakFacts = 0;
        long peakPlan = 0;
        long retained = 0;
        UsageFacts facts = null;
        List<Decision> plan = null;
        for (int i = -warmups; i < runs; i++) {
            long before = usedAfterGc();
            resetPeaks();
            long t0 = System.nanoTime();
            facts = refs.index();
            long t1 = System.nanoTime();
            peakFacts = Math.max(peakFacts, peak() - before);
            long withFacts = usedAfterGc();
            resetPeaks();
            long t2 = System.nanoTime();
            plan = PrunePlanner.plan(candidates, facts, policy, NOW, null);
            long t3 = System.nanoTime();
            peakPlan = Math.max(peakPlan, peak() - withFacts);
            retained = usedAfterGc() - before;
            if (i >= 0) {
                factsTimes[i] = t1 - t0;
                planTimes[i] = t3 - t2;
            }
            facts = i == runs - 1 ? facts : null;
            plan = i == runs - 1 ? plan : null;
        }
        long acted = plan.stream().filter(d -> !d.keep()).count();
        System.out.printf("| planner: index usage facts (%,d references → %,d images in use) | %.1f | | %.0f |%n",
                instances + versions, facts.referencedImages(), ms(median(factsTimes)), mb(peakFacts));
        System.out.printf("| planner: plan %,d images (%,d to deregister) | %.1f | %.1f (facts + plan) | %.0f |%n",
                images, acted, ms(median(planTimes)), mb(retained), mb(peakPlan));
    }

    static List<PruneCandidate> candidates(int images, int families) {
        Random random = new Random(42);
        List<PruneCandidate> out = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            String id = imageId(i);
            int family = i % families;
            String state = random.nextInt(200) == 0 ? "pending" : random.nextInt(200) == 0 ? "failed" : "available";
            Instant created = NOW.minus(Duration.ofMinutes(random.nextInt(2 * 365 * 24 * 60)));
            // the creation text is part of the input, as EC2 hands it over
            out.add(new PruneCandidate(id, "fam" + family + "-" + i, created, created.toString(), state,
                    "tag:" + Tags.TRACKED_IMAGE + "=fam" + family, random.nextInt(100) == 0, null, false,
                    List.of("snap-" + id.substring(4))));
        }
        return out;
    }

    /** Instance and template references as the SDK hands them over, made before the clock starts. */
    private static final class References {
        final String[] instanceIds;
        final String[] instanceImages;
        final String[] templateIds;
        final String[] templateImages;

        References(int images, int instances, int versions) {
            Random random = new Random(7);
            instanceIds = new String[instances];
            instanceImages = new String[instances];
            for (int i = 0; i < instances; i++) {
                instanceIds[i] = String.format("i-%017x", i);
                instanceImages[i] = imageId(random.nextInt(images));
            }
            templateIds = new String[versions];
            templateImages = new String[versions];
            for (int v = 0; v < versions; v++) {
                templateIds[v] = String.format("lt-%017x", v / 10);
                templateImages[v] = imageId(random.nextInt(images));
            }
        }

        /** What {@code UsageCollector} does per instance and per version: one hash update each. */
        UsageFacts index() {
            UsageFacts.Builder b = UsageFacts.builder();
            for (int i = 0; i < instanceIds.length; i++) {
                b.reference(instanceImages[i], "instance " + instanceIds[i] + " (running)");
            }
            for (int v = 0; v < templateIds.length; v++) {
                b.reference(templateImages[v], "launch template " + templateIds[v] + " version " + (v % 10 + 1));
            }
            return b.build();
        }
    }

    // ---- 2: the whole plan through the SDK fakes

    private static void wholePlan(int images, int instances, int versions, int families, int runs, int warmups,
            PrunePolicy policy) {
        long empty = usedAfterGc();
        FakeCloud cloud = new FakeCloud().pageSize(1000);
        FakeCloud.Region region = cloud.region(REGION);
        Random random = new Random(42);
        for (int i = 0; i < images; i++) {
            String id = imageId(i);
            region.put(FakeCloud.image(id, "fam" + (i % families) + "-" + i,
                    NOW.minus(Duration.ofMinutes(random.nextInt(2 * 365 * 24 * 60))).toString())
                    .state(ImageState.AVAILABLE)
                    .tags(Tag.builder().key(Tags.TRACKED_IMAGE).value("fam" + (i % families)).build())
                    .build());
        }
        Random refs = new Random(7);
        for (int i = 0; i < instances; i++) {
            region.instance("i-" + String.format("%017x", i), imageId(refs.nextInt(images)), "running");
        }
        int perTemplate = 10;
        for (int t = 0; t * perTemplate < versions; t++) {
            String[] ids = new String[Math.min(perTemplate, versions - t * perTemplate)];
            for (int v = 0; v < ids.length; v++) {
                ids[v] = imageId(refs.nextInt(images));
            }
            region.template("lt-" + String.format("%017x", t), "template-" + t, ids);
        }
        System.out.printf("| input: the fake account (SDK objects standing in for AWS; not part of a real run) | | %.1f | |%n",
                mb(usedAfterGc() - empty));
        Pruner pruner = new Pruner(cloud, Clock.fixed(NOW, ZoneOffset.UTC));
        PruneRequest request = new PruneRequest(ImageQuery.ownName("fam*"), List.of(REGION), policy, List.of());
        long[] times = new long[runs];
        long peak = 0;
        long retained = 0;
        PrunePlan plan = null;
        for (int i = -warmups; i < runs; i++) {
            plan = null;
            long before = usedAfterGc();
            resetPeaks();
            long t0 = System.nanoTime();
            plan = pruner.plan(request, ProgressListener.NONE);
            long t1 = System.nanoTime();
            peak = Math.max(peak, peak() - before);
            retained = usedAfterGc() - before;
            if (i >= 0) {
                times[i] = t1 - t0;
            }
        }
        System.out.printf("| whole plan via SDK fakes (list %,d pages of images, %,d of instances, %,d templates, "
                + "collect, plan; %,d to deregister) | %.1f | %.1f (the plan) | %.0f |%n",
                (images + 999) / 1000, (instances + 999) / 1000, (versions + perTemplate - 1) / perTemplate,
                plan.actionCount(), ms(median(times)), mb(retained), mb(peak));
    }

    // ---- helpers

    static String imageId(int i) {
        return String.format("ami-%017x", i);
    }

    private static final List<MemoryPoolMXBean> HEAP = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();

    private static void resetPeaks() {
        HEAP.forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peak() {
        return HEAP.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return HEAP.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static int intOption(Map<String, String> options, String name, int fallback) {
        String v = options.get(name);
        return v == null ? fallback : Integer.parseInt(v.replace("_", "").replace(",", ""));
    }
}
