package io.amifactory.bench;

import io.amifactory.engine.testkit.FakeClients;
import io.amifactory.engine.track.ImageSource;
import io.amifactory.engine.track.TrackedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The poll benchmarks' upstream, on in-memory EC2/SSM fakes that add a fixed latency to every call:
 * {@code count} tracked images, 60% SSM parameters and 40% DescribeImages filters where every filter query
 * is used by two tracked images, in the first {@code regionCount} of 20 regions.
 */
final class SyntheticUpstream {
    static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2",
            "ca-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1",
            "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "sa-east-1",
            "af-south-1", "me-south-1", "ap-east-1");

    final FakeClients aws = new FakeClients();
    final List<TrackedImage> images = new ArrayList<>();
    final List<String> regions;
    /** P: distinct parameters. */
    final int parameters;
    /** F: distinct filter queries. */
    final int distinctQueries;

    SyntheticUpstream(int count, int regionCount, long latencyMs) {
        regions = REGIONS.subList(0, regionCount);
        parameters = count * 6 / 10;
        int filterImages = count - parameters;
        distinctQueries = filterImages / 2;
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
            images.add(new TrackedImage("os-" + i, new ImageSource.Parameter("/vendor/os-" + i + "/latest"), List.of()));
        }
        for (int i = 0; i < filterImages; i++) {
            int q = i % distinctQueries;
            images.add(new TrackedImage("fam-" + i, new ImageSource.Filters(
                    Map.of("name", List.of("fam" + q + "-*")), List.of("amazon"), false), List.of()));
        }
    }

    /** R×(⌈P/10⌉+F): one call per ten parameters and per distinct filter query, in every region (before name
     * patterns were merged, the fewest calls that could answer one cycle). */
    long limit() {
        return (long) regions.size() * ((parameters + 9) / 10 + distinctQueries);
    }
}
