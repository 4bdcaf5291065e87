package io.amifactory.engine.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.testkit.FakeClients;
import io.amifactory.engine.testkit.FakeErrors;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filter queries that differ only in their name patterns are asked in one DescribeImages call and assigned
 * back locally: every tracked image must resolve exactly as it does when asked alone ({@link Tracker#lookup},
 * one query per call).
 */
class MergedQueriesTest {
    private static final String REGION = "us-east-1";

    @TempDir
    Path dir;
    FakeClients aws;
    Tracker tracker;

    @BeforeEach
    void setUp() {
        aws = new FakeClients();
        tracker = new Tracker(aws, new Ledger(dir.resolve("state.json")), line -> { },
                Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC), 4);
    }

    private static TrackedImage image(String name, List<String> patterns, Map<String, List<String>> more,
            List<String> owners, boolean deprecated) {
        Map<String, List<String>> filters = new LinkedHashMap<>(more);
        filters.put("name", patterns);
        return new TrackedImage(name, new ImageSource.Filters(filters, owners, deprecated), List.of());
    }

    private static TrackedImage byName(String name, String... patterns) {
        return image(name, List.of(patterns), Map.of(), List.of("amazon"), false);
    }

    /** What each image resolves to when asked alone. */
    private Map<String, String> alone(List<TrackedImage> images) {
        Map<String, String> out = new LinkedHashMap<>();
        for (TrackedImage i : images) {
            Resolution r = tracker.lookup(i, List.of(REGION)).get(0);
            out.put(i.name(), r.ok() ? r.imageId() : "error: " + r.error());
        }
        return out;
    }

    private Map<String, String> together(List<TrackedImage> images) {
        Map<String, String> out = new LinkedHashMap<>();
        tracker.check(images, List.of(REGION)).results()
                .forEach(r -> out.put(r.image(), r.error() == null ? r.imageId() : "error: " + r.error()));
        return out;
    }

    @Test
    void namesMatchingSeveralPatternsAndANewestThatDiffersPerPattern() {
        // os-2026.03-arm64 is the newest of all and matches "os-*" and "*-arm64" but not "os-*-x86_64".
        aws.ec2Fake(REGION).image("ami-00000001", "os-2026.01-x86_64", "2026-01-01T00:00:00.000Z", "amazon");
        aws.ec2Fake(REGION).image("ami-00000002", "os-2026.02-x86_64", "2026-02-01T00:00:00.000Z", "amazon");
        aws.ec2Fake(REGION).image("ami-00000003", "os-2026.03-arm64", "2026-03-01T00:00:00.000Z", "amazon");
        aws.ec2Fake(REGION).image("ami-00000004", "db-2026.04-arm64", "2026-04-01T00:00:00.000Z", "amazon");
        aws.ec2Fake(REGION).image("ami-00000005", "os-2026.0?-x86_64", "2025-01-01T00:00:00.000Z", "amazon");
        List<TrackedImage> images = List.of(
                byName("any-os", "os-*"),
                byName("os-x86", "os-*-x86_64"),
                byName("arm", "*-arm64"),
                byName("jan-or-feb", "os-2026.01-*", "os-2026.02-*"),
                byName("one-char", "os-2026.0?-x86_64"),
                byName("exact", "os-2026.01-x86_64"),
                byName("nothing", "no-such-*"));

        Map<String, String> together = together(images);
        assertEquals(1L, aws.log.count("describeImages"), "seven queries, one call: " + aws.log.calls());
        assertEquals(Map.of("any-os", "ami-00000003", "os-x86", "ami-00000002", "arm", "ami-00000004",
                "jan-or-feb", "ami-00000002", "one-char", "ami-00000002", "exact", "ami-00000001",
                "nothing", "error: no image matches filters name=no-such-* owners=amazon"), together);
        assertEquals(alone(images), together);
    }

    @Test
    void randomUpstreamsResolveAsIfEveryQueryWereAskedAlone() {
        Random random = new Random(42);
        for (int round = 0; round < 25; round++) {
            setUp();
            List<String> archs = List.of("x86_64", "arm64");
            for (int i = 0; i < 300; i++) {
                String name = "v" + random.nextInt(3) + "-" + (char) ('a' + random.nextInt(4)) + random.nextInt(20)
                        + "-" + archs.get(random.nextInt(2));
                // few distinct dates, so that ties fall to the name and id order
                String date = "2026-0" + (1 + random.nextInt(5)) + "-01T00:00:00.000Z";
                aws.ec2Fake(REGION).images.add(software.amazon.awssdk.services.ec2.model.Image.builder()
                        .imageId(String.format("ami-%08x", i)).name(name).creationDate(date).state("available")
                        .architecture(name.endsWith("arm64") ? "arm64" : "x86_64").imageOwnerAlias("amazon")
                        .ownerId("137112412989").build());
                if (random.nextInt(10) == 0) {
                    aws.ec2Fake(REGION).deprecated.add(String.format("ami-%08x", i));
                }
            }
            List<String> shapes = List.of("v?-*", "v1-*", "*-a1?-*", "v?-b*", "*arm64", "v2-c1-x86_64", "*",
                    "v0-d?-*", "*-?5-*", "v1-a*-arm64", "v\\1-*");
            List<TrackedImage> images = new ArrayList<>();
            for (int q = 0; q < 40; q++) {
                List<String> patterns = new ArrayList<>();
                for (int k = 0; k <= random.nextInt(2); k++) {
                    patterns.add(shapes.get(random.nextInt(shapes.size())));
                }
                Map<String, List<String>> more = random.nextBoolean() ? Map.of()
                        : Map.of("architecture", List.of(archs.get(random.nextInt(2))));
                images.add(image("q" + q, patterns, more, List.of("amazon"), random.nextInt(4) == 0));
            }
            Map<String, String> expected = alone(images);
            aws.log.clear();
            Map<String, String> actual = together(images);
            assertEquals(expected, actual, "round " + round);
            long escaped = images.stream().map(TrackedImage::source).distinct()
                    .filter(s -> ((ImageSource.Filters) s).filters().get("name").stream().anyMatch(p -> p.contains("\\")))
                    .count();
            assertTrue(aws.log.count("describeImages") <= 6 + escaped, "at most one call per shape of the other "
                    + "filters (architecture none/x86_64/arm64 × deprecated or not), and one per query with an "
                    + "escaped pattern (" + escaped + "): " + aws.log.calls());
        }
    }

    @Test
    void pagesAreFollowedAndTooManyPatternsAreSplitAcrossCalls() {
        List<TrackedImage> images = new ArrayList<>();
        for (int q = 0; q < 150; q++) {
            for (int v = 0; v < 10; v++) {
                aws.ec2Fake(REGION).image(String.format("ami-%04x%04x", q, v), "fam" + q + "-v" + v,
                        "2026-01-" + String.format("%02d", v + 1) + "T00:00:00.000Z", "amazon");
            }
            images.add(byName("fam" + q, "fam" + q + "-*"));
        }
        Map<String, String> together = together(images);
        // 99 patterns (and the state filter) in the first call, 51 in the second: 990 + 510 images, one page each
        assertEquals(2L, aws.log.count("describeImages"), aws.log.calls().toString());
        for (int q = 0; q < 150; q++) {
            assertEquals(String.format("ami-%04x%04x", q, 9), together.get("fam" + q));
        }
        aws.log.clear();
        List<TrackedImage> big = new ArrayList<>();
        for (int q = 0; q < 99; q++) {
            big.add(byName("fam" + q, "fam" + q + "-*"));
        }
        big.add(byName("fam-any", "fam*"));
        // "fam99-v9" is the greatest name among the newest (2026-01-10) images
        assertEquals(String.format("ami-%04x%04x", 99, 9), together(big).get("fam-any"));
        assertEquals(3L, aws.log.count("describeImages"), "100 patterns do not fit one call: 99 in one, and "
                + "fam* alone, whose 1,500 images take two pages: " + aws.log.calls());
    }

    @Test
    void aFailedMergedCallFailsEveryQueryItAnsweredAndNothingElse() {
        aws.ec2Fake(REGION).image("ami-00000001", "a-1", "2026-01-01T00:00:00.000Z", "amazon");
        aws.ec2Fake(REGION).image("ami-00000002", "b-1", "2026-01-01T00:00:00.000Z", "amazon");
        aws.ec2Fake(REGION).failNext(FakeErrors::ec2Throttled);
        List<TrackedImage> images = List.of(byName("a", "a-*"), byName("b", "b-*"),
                image("c", List.of("a-*"), Map.of(), List.of("self"), false));
        Map<String, String> together = together(images);
        assertTrue(together.get("a").startsWith("error: throttled beyond retries"), together.toString());
        assertTrue(together.get("b").startsWith("error: throttled beyond retries"), together.toString());
        assertEquals("error: no image matches filters name=a-* owners=self", together.get("c"),
                "other owners are another call, which went through");
    }
}
