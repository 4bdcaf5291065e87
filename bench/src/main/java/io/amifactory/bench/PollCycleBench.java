package io.amifactory.bench;

import io.amifactory.engine.testkit.FakeClients;
import io.amifactory.engine.track.CheckReport;
import io.amifactory.engine.track.ImageSource;
import io.amifactory.engine.track.Ledger;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One poll cycle of many tracked images in many regions against in-memory EC2/SSM fakes that add a
 * fixed latency to every call: how many calls the cycle makes against the R×(⌈P/10⌉+F) limit, and how
 * long it takes. Options: {@code --images N --regions R --latency-ms L --parallelism T}.
 */
final class PollCycleBench {
    private static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2",
            "ca-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1",
            "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "sa-east-1",
            "af-south-1", "me-south-1", "ap-east-1");

    private PollCycleBench() {
    }

    static void run(String[] args) throws Exception {
        Map<String, String> opts = Options.parse(args);
        int images = Integer.parseInt(opts.getOrDefault("images", "2000"));
        int regionCount = Integer.parseInt(opts.getOrDefault("regions", "17"));
        long latencyMs = Long.parseLong(opts.getOrDefault("latency-ms", "50"));
        int parallelism = Integer.parseInt(opts.getOrDefault("parallelism", String.valueOf(Tracker.DEFAULT_PARALLELISM)));
        List<String> regions = REGIONS.subList(0, regionCount);

        // 60% parameters; 40% filters, every filter query used by two tracked images.
        int parameters = images * 6 / 10;
        int filterImages = images - parameters;
        int distinctQueries = filterImages / 2;
        FakeClients aws = new FakeClients();
        List<TrackedImage> tracked = new ArrayList<>();
        for (String region : regions) {
            for (int i = 0; i < parameters; i++) {
                String id = String.format("ami-%08x", i);
                aws.ssmFake(region).parameter("/vendor/os-" + i + "/latest", id);
                aws.ec2Fake(region).image(id, "os-" + i + "-2026.01", "2026-01-01T00:00:00.000Z", "amazon");
            }
            for (int q = 0; q < distinctQueries; q++) {
                for (int v = 0; v < 3; v++) {
                    aws.ec2Fake(region).image(String.format("ami-f%07x", q * 3 + v), "fam" + q + "-v" + v,
                            "2026-0" + (v + 1) + "-01T00:00:00.000Z", "amazon");
                }
            }
            aws.ec2Fake(region).latency(Duration.ofMillis(latencyMs));
            aws.ssmFake(region).latency(Duration.ofMillis(latencyMs));
        }
        for (int i = 0; i < parameters; i++) {
            tracked.add(new TrackedImage("os-" + i, new ImageSource.Parameter("/vendor/os-" + i + "/latest"), List.of()));
        }
        for (int i = 0; i < filterImages; i++) {
            int q = i % distinctQueries;
            tracked.add(new TrackedImage("fam-" + i, new ImageSource.Filters(
                    Map.of("name", List.of("fam" + q + "-*")), List.of("amazon"), false), List.of()));
        }
        long limit = (long) regions.size() * ((parameters + 9) / 10 + distinctQueries);

        Path dir = Files.createTempDirectory("amifactory-bench");
        Tracker tracker = new Tracker(aws, new Ledger(dir.resolve("state.json")), line -> { }, Clock.systemUTC(), parallelism);
        System.out.printf("| cycle | tracked images | regions | P | F | latency | parallelism | calls | limit R×(⌈P/10⌉+F) | wall time |%n");
        System.out.printf("|---|---|---|---|---|---|---|---|---|---|%n");
        for (String cycle : List.of("first (baseline)", "steady state")) {
            aws.log.clear();
            long t0 = System.nanoTime();
            CheckReport report = tracker.check(tracked, regions);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (report.anyError() || report.results().size() != tracked.size() * regions.size()) {
                throw new IllegalStateException("the benchmark cycle did not resolve every pair");
            }
            System.out.printf("| %s | %d | %d | %d | %d | %d ms | %d | %d | %d | %.1f s |%n", cycle, images,
                    regions.size(), parameters, distinctQueries, latencyMs, parallelism, aws.log.size(), limit, seconds);
        }
        long perJob = (long) images * regions.size();
        System.out.printf("%nOne DescribeImages or GetParameter per tracked image and region (what a per-job, per-image "
                + "poller does) would be %d calls per cycle.%n", perJob);
    }
}
