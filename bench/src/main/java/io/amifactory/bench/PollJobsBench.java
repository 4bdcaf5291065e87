package io.amifactory.bench;

import io.amifactory.engine.track.CheckReport;
import io.amifactory.engine.track.Ledger;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many jobs watching upstream AMIs: what the factory's one shared poller costs (one cycle over the union of
 * what the jobs track) against polling once per job, which is what a per-job trigger does — each job's
 * trigger checks its own images, with our batching within the job, or with one call per image and region
 * (seed 004's Lambda, and most hand-written pollers).
 *
 * <p>Two ways of sharing images among the jobs: none (every image watched by one job; the jobs' lists
 * partition the images) and overlapping (every job also watches {@code --per-job} minus its share of images
 * drawn at random, so popular images are watched by several jobs). Per-job triggers fire together, as
 * cron-style triggers at the same minute do, so their wall time is that of the slowest job.
 *
 * <p>Options: {@code --images N --regions R --jobs J --per-job K --latency-ms L --seed S}.
 */
final class PollJobsBench {
    private PollJobsBench() {
    }

    /** Calls and wall time of one cycle. */
    private record Cycle(long calls, double seconds) {
    }

    static void run(String[] args) throws Exception {
        Map<String, String> opts = Options.parse(args);
        int images = Integer.parseInt(opts.getOrDefault("images", "2000"));
        int regionCount = Integer.parseInt(opts.getOrDefault("regions", "17"));
        int jobs = Integer.parseInt(opts.getOrDefault("jobs", "50"));
        int perJob = Integer.parseInt(opts.getOrDefault("per-job", "200"));
        long latencyMs = Long.parseLong(opts.getOrDefault("latency-ms", "50"));
        long seed = Long.parseLong(opts.getOrDefault("seed", "1"));
        SyntheticUpstream upstream = new SyntheticUpstream(images, regionCount, latencyMs);
        int regions = upstream.regions.size();

        System.out.printf("%d tracked images (P = %d parameters, F = %d distinct filter queries), %d regions, %d jobs, "
                + "%d ms per call; limit R×(⌈P/10⌉+F) = %d calls.%n%n", images, upstream.parameters,
                upstream.distinctQueries, regions, jobs, latencyMs, upstream.limit());
        System.out.println("| images per job | polling | watched (job, image) | calls, first cycle | calls per cycle after "
                + "| per region per cycle | × shared | wall time per cycle | calls per second per region |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int share : List.of(images / jobs, perJob)) {
            List<List<TrackedImage>> lists = jobLists(upstream.images, jobs, share, new Random(seed));
            long watched = lists.stream().mapToLong(List::size).sum();
            String label = share == images / jobs ? share + " (no overlap)" : share + " (overlapping)";

            List<TrackedImage> union = union(lists);
            Cycle[] shared = cycles(upstream, List.of(union));
            row(label, "shared poller (one cycle over the union)", watched, shared, shared[1].calls(), regions);
            Cycle[] perJobBatched = cycles(upstream, lists);
            row(label, "per job, batched as ours", watched, perJobBatched, shared[1].calls(), regions);
            long naive = watched * regions;
            System.out.printf("| %s | per job, one call per image and region | %d | %d | %d | %d | %.1f | | |%n",
                    label, watched, naive, naive, naive / regions, (double) naive / shared[1].calls());
        }
    }

    private static void row(String label, String polling, long watched, Cycle[] c, long sharedSteady, int regions) {
        System.out.printf("| %s | %s | %d | %d | %d | %d | %.1f | %.1f s | %.0f |%n", label, polling, watched,
                c[0].calls(), c[1].calls(), c[1].calls() / regions, (double) c[1].calls() / sharedSteady,
                c[1].seconds(), c[1].calls() / regions / c[1].seconds());
    }

    /**
     * Job j watches the images whose index is j modulo {@code jobs} (so together the jobs watch every image
     * once), then images drawn at random until it watches {@code perJob}.
     */
    static List<List<TrackedImage>> jobLists(List<TrackedImage> all, int jobs, int perJob, Random random) {
        List<List<TrackedImage>> lists = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            Set<TrackedImage> mine = new LinkedHashSet<>();
            for (int i = j; i < all.size(); i += jobs) {
                mine.add(all.get(i));
            }
            while (mine.size() < Math.min(perJob, all.size())) {
                mine.add(all.get(random.nextInt(all.size())));
            }
            lists.add(new ArrayList<>(mine));
        }
        return lists;
    }

    private static List<TrackedImage> union(List<List<TrackedImage>> lists) {
        Set<TrackedImage> all = new LinkedHashSet<>();
        lists.forEach(all::addAll);
        return new ArrayList<>(all);
    }

    /**
     * A first and a second cycle of every list at once, each list with its own state file, as separate
     * jobs' triggers would run them; calls counted over all of them.
     */
    private static Cycle[] cycles(SyntheticUpstream upstream, List<List<TrackedImage>> lists) throws Exception {
        Path dir = Files.createTempDirectory("amifactory-bench");
        List<Tracker> trackers = new ArrayList<>();
        for (int j = 0; j < lists.size(); j++) {
            trackers.add(new Tracker(upstream.aws, new Ledger(dir.resolve("job-" + j + ".json")), line -> { },
                    Clock.systemUTC(), Tracker.DEFAULT_PARALLELISM));
        }
        Cycle[] out = new Cycle[2];
        ExecutorService pool = Executors.newFixedThreadPool(lists.size());
        try {
            for (int cycle = 0; cycle < 2; cycle++) {
                upstream.aws.log.clear();
                long t0 = System.nanoTime();
                List<Future<CheckReport>> reports = new ArrayList<>();
                for (int j = 0; j < lists.size(); j++) {
                    Tracker t = trackers.get(j);
                    List<TrackedImage> list = lists.get(j);
                    reports.add(pool.submit(() -> t.check(list, upstream.regions)));
                }
                for (int j = 0; j < reports.size(); j++) {
                    CheckReport r = reports.get(j).get();
                    if (r.anyError() || r.results().size() != lists.get(j).size() * upstream.regions.size()) {
                        throw new IllegalStateException("a benchmark cycle did not resolve every pair");
                    }
                }
                out[cycle] = new Cycle(upstream.aws.log.size(), (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }
}
