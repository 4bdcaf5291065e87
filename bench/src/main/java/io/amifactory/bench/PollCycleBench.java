package io.amifactory.bench;

import io.amifactory.engine.testkit.FakeClients;
import io.amifactory.engine.track.CheckReport;
import io.amifactory.engine.track.Ledger;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * One poll cycle of many tracked images in many regions against in-memory EC2/SSM fakes that add a
 * fixed latency to every call: how many calls the cycle makes against R×(⌈P/10⌉+F) (one call per distinct
 * filter query; queries that differ only in name patterns now share calls), and how long it takes. Options: {@code --images N --regions R --latency-ms L --parallelism T}.
 */
final class PollCycleBench {
    private PollCycleBench() {
    }

    static void run(String[] args) throws Exception {
        Map<String, String> opts = Options.parse(args);
        int images = Integer.parseInt(opts.getOrDefault("images", "2000"));
        int regionCount = Integer.parseInt(opts.getOrDefault("regions", "17"));
        long latencyMs = Long.parseLong(opts.getOrDefault("latency-ms", "50"));
        int parallelism = Integer.parseInt(opts.getOrDefault("parallelism", String.valueOf(Tracker.DEFAULT_PARALLELISM)));
        SyntheticUpstream upstream = new SyntheticUpstream(images, regionCount, latencyMs);
        FakeClients aws = upstream.aws;
        List<TrackedImage> tracked = upstream.images;
        List<String> regions = upstream.regions;
        int parameters = upstream.parameters;
        int distinctQueries = upstream.distinctQueries;
        long limit = upstream.limit();

        Path dir = Files.createTempDirectory("amifactory-bench");
        Tracker tracker = new Tracker(aws, new Ledger(dir.resolve("state.json")), line -> { }, Clock.systemUTC(), parallelism);
        System.out.printf("| cycle | tracked images | regions | P | F | latency | parallelism | calls | DescribeImages "
                + "per region | R×(⌈P/10⌉+F), one call per distinct query | wall time |%n");
        System.out.printf("|---|---|---|---|---|---|---|---|---|---|---|%n");
        for (String cycle : List.of("first (baseline)", "steady state")) {
            aws.log.clear();
            long t0 = System.nanoTime();
            CheckReport report = tracker.check(tracked, regions);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (report.anyError() || report.results().size() != tracked.size() * regions.size()) {
                throw new IllegalStateException("the benchmark cycle did not resolve every pair");
            }
            System.out.printf("| %s | %d | %d | %d | %d | %d ms | %d | %d | %d | %d | %.1f s |%n", cycle, images,
                    regions.size(), parameters, distinctQueries, latencyMs, parallelism, aws.log.size(),
                    aws.log.count("describeImages") / regions.size(), limit, seconds);
        }
        long perJob = (long) images * regions.size();
        System.out.printf("%nOne DescribeImages or GetParameter per tracked image and region (what a per-job, per-image "
                + "poller does) would be %d calls per cycle.%n", perJob);
    }
}
