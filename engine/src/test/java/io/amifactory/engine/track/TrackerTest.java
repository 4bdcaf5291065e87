package io.amifactory.engine.track;

import static org.junit.jupiter.api.Assertions.assertThrows;
import java.nio.file.Files;
import io.amifactory.engine.aws.AwsInterruptedException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.testkit.FakeErrors;
import io.amifactory.engine.testkit.FakeClients;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackerTest {
    private static final String E1 = "us-east-1";
    private static final String W1 = "eu-west-1";

    @TempDir
    Path dir;
    FakeClients aws;
    Ledger ledger;
    Tracker tracker;

    @BeforeEach
    void setUp() {
        aws = new FakeClients();
        ledger = new Ledger(dir.resolve("state.json"));
        tracker = new Tracker(aws, ledger, line -> { }, Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC), 4);
    }

    private static TrackedImage param(String name, String path) {
        return new TrackedImage(name, new ImageSource.Parameter(path), List.of());
    }

    private static TrackedImage filters(String name, String glob) {
        return new TrackedImage(name, new ImageSource.Filters(Map.of("name", List.of(glob)), List.of("amazon"), false), List.of());
    }

    private static Map<String, CheckStatus> statuses(CheckReport r) {
        return r.results().stream().collect(Collectors.toMap(x -> x.image() + "@" + x.region(), CheckResult::status));
    }

    @Test
    void cycleMakesTheFewestCalls() {
        // P = 23 distinct parameters, F = 3 distinct queries (5 filter images, 2 duplicates), R = 2 regions.
        List<TrackedImage> images = new ArrayList<>();
        for (String region : List.of(E1, W1)) {
            for (int i = 0; i < 23; i++) {
                aws.ssmFake(region).parameter("/up/p" + i, String.format("ami-%08x", i));
                aws.ec2Fake(region).image(String.format("ami-%08x", i), "p" + i, "2026-01-01T00:00:00.000Z", "amazon");
            }
            for (String fam : List.of("a", "b", "c")) {
                aws.ec2Fake(region).image("ami-f" + fam + "0000001", fam + "-1", "2026-01-01T00:00:00.000Z", "amazon");
            }
        }
        for (int i = 0; i < 23; i++) {
            images.add(param("p" + i, "/up/p" + i));
        }
        images.add(filters("fa", "a-*"));
        images.add(filters("fa-again", "a-*"));
        images.add(filters("fb", "b-*"));
        images.add(filters("fb-again", "b-*"));
        images.add(filters("fc", "c-*"));

        CheckReport first = tracker.check(images, List.of(E1, W1));
        // the three queries differ only in their name patterns: one DescribeImages per region answers them all
        int limit = 2 * ((23 + 9) / 10 + 1);
        assertEquals(limit + 2, aws.log.size(), "first cycle: the limit plus one name lookup per region: " + aws.log.calls());
        assertEquals(2 * 3, aws.log.count("getParameters"));
        assertTrue(first.results().stream().allMatch(r -> r.status() == CheckStatus.BASELINE));
        assertEquals("p7", first.results().get(14).imageName(), "parameter AMIs get their name: " + first.results().get(14));

        aws.log.clear();
        CheckReport second = tracker.check(images, List.of(E1, W1));
        assertEquals(limit, aws.log.size(), "steady state is exactly R×(⌈P/10⌉+M), M = 1 merged query: " + aws.log.calls());
        assertTrue(second.results().stream().allMatch(r -> r.status() == CheckStatus.UNCHANGED));
        assertEquals(56, second.results().size());
    }

    @Test
    void followsEveryPageAndPicksTheNewestWithADeterministicTieBreak() {
        for (int i = 0; i < 2500; i++) {
            aws.ec2Fake(E1).image(String.format("ami-%08x", i), "os-" + i, "2025-01-01T00:00:00.000Z", "amazon");
        }
        // Three images share the newest creation date: the greatest name wins, then the greatest id.
        aws.ec2Fake(E1).image("ami-0000aaaa", "os-2026.02", "2026-02-01T00:00:00.000Z", "amazon");
        aws.ec2Fake(E1).image("ami-0000cccc", "os-2026.02", "2026-02-01T00:00:00.000Z", "amazon");
        aws.ec2Fake(E1).image("ami-0000bbbb", "os-2026.01", "2026-02-01T00:00:00.000Z", "amazon");
        CheckReport r = tracker.check(List.of(filters("os", "os-*")), List.of(E1));
        assertEquals("ami-0000cccc", r.results().get(0).imageId());
        assertEquals(3, aws.log.count("describeImages"), "2503 images at 1000 a page");
    }

    @Test
    void deprecatedImagesAreExcludedUnlessAsked() {
        aws.ec2Fake(E1).image("ami-00000001", "os-1", "2026-01-01T00:00:00.000Z", "amazon");
        aws.ec2Fake(E1).image("ami-00000002", "os-2", "2026-02-01T00:00:00.000Z", "amazon");
        aws.ec2Fake(E1).deprecated.add("ami-00000002");
        TrackedImage plain = filters("os", "os-*");
        TrackedImage withDeprecated = new TrackedImage("os-all",
                new ImageSource.Filters(Map.of("name", List.of("os-*")), List.of("amazon"), true), List.of());
        CheckReport r = tracker.check(List.of(plain, withDeprecated), List.of(E1));
        assertEquals("ami-00000001", r.results().get(0).imageId());
        assertEquals("ami-00000002", r.results().get(1).imageId());
    }

    @Test
    void oneFailingPairNeverStopsTheOthers() {
        for (int i = 0; i < 12; i++) {
            aws.ssmFake(E1).parameter("/up/p" + i, String.format("ami-%08x", i));
            aws.ssmFake(W1).parameter("/up/p" + i, String.format("ami-%08x", i));
        }
        aws.ssmFake(E1).denied.add("/up/p3");            // access denied fails the batch: retried one by one
        aws.ssmFake(E1).parameters.remove("/up/p11");    // not found
        aws.ssmFake(E1).parameter("/up/p5", "not-an-ami");
        aws.ec2Fake(W1).failNext(FakeErrors::ec2Throttled); // the W1 filter query is throttled beyond retries
        List<TrackedImage> images = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            images.add(param("p" + i, "/up/p" + i));
        }
        images.add(filters("nothing", "no-such-*"));
        CheckReport r = tracker.check(images, List.of(E1, W1));
        Map<String, CheckResult> byPair = r.results().stream().collect(Collectors.toMap(x -> x.image() + "@" + x.region(), x -> x));
        assertTrue(byPair.get("p3@" + E1).error().contains("AccessDeniedException"), byPair.get("p3@" + E1).error());
        assertEquals("parameter not found: /up/p11", byPair.get("p11@" + E1).error());
        assertTrue(byPair.get("p5@" + E1).error().startsWith("parameter value is not an AMI id"));
        assertTrue(byPair.get("nothing@" + W1).error().startsWith("throttled beyond retries: RequestLimitExceeded"));
        assertTrue(byPair.get("nothing@" + E1).error().startsWith("no image matches filters name=no-such-*"));
        long ok = r.results().stream().filter(x -> x.status() == CheckStatus.BASELINE).count();
        assertEquals(26 - 5, ok, "every other pair resolved: " + r.results());
        assertTrue(r.anyError());
    }

    @Test
    void throttledBatchFailsOnlyItsImages() {
        for (int i = 0; i < 15; i++) {
            aws.ssmFake(E1).parameter("/up/p" + i, String.format("ami-%08x", i));
        }
        aws.ssmFake(E1).failNext(FakeErrors::ssmThrottled);
        List<TrackedImage> images = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            images.add(param("p" + i, "/up/p" + i));
        }
        CheckReport r = tracker.check(images, List.of(E1));
        assertEquals(10, r.results().stream().filter(x -> x.status() == CheckStatus.ERROR).count());
        assertEquals(5, r.results().stream().filter(x -> x.status() == CheckStatus.BASELINE).count());
        assertEquals(2, aws.log.count("getParameters"), "throttling is not retried one by one");
    }

    @Test
    void ledgerTransitionsAndEventsFireOnce() {
        TrackedImage al = param("al", "/up/al");
        aws.ssmFake(E1).parameter("/up/al", "ami-0000000a");
        aws.ec2Fake(E1).image("ami-0000000a", "al-a", "2026-01-01T00:00:00.000Z", "amazon");
        aws.ec2Fake(E1).image("ami-0000000b", "al-b", "2026-02-01T00:00:00.000Z", "amazon");
        aws.ec2Fake(E1).image("ami-0000000c", "al-c", "2025-06-01T00:00:00.000Z", "amazon");

        CheckReport r1 = tracker.check(List.of(al), List.of(E1));
        assertEquals(CheckStatus.BASELINE, r1.results().get(0).status());
        assertTrue(r1.events().isEmpty(), "a baseline fires nothing");

        assertEquals(CheckStatus.UNCHANGED, tracker.check(List.of(al), List.of(E1)).results().get(0).status());

        aws.ssmFake(E1).parameter("/up/al", "ami-0000000b");
        CheckReport r3 = tracker.check(List.of(al), List.of(E1));
        CheckResult res = r3.results().get(0);
        assertEquals(CheckStatus.NEW, res.status());
        assertEquals("ami-0000000a", res.previousImageId());
        assertEquals(1, r3.events().size());
        ReleaseEvent e = r3.events().get(0);
        assertEquals("al/us-east-1/ami-0000000b", e.id());
        assertEquals("al-b", e.imageName());
        assertEquals("ami-0000000a", e.previousImageId());

        // Not acknowledged: handed out again, but not detected again.
        CheckReport r4 = tracker.check(List.of(al), List.of(E1));
        assertEquals(CheckStatus.UNCHANGED, r4.results().get(0).status());
        assertEquals(List.of(e.id()), r4.events().stream().map(ReleaseEvent::id).toList());
        tracker.acknowledge(e.id());
        assertTrue(tracker.pendingEvents().isEmpty());

        // Back to an AMI seen before: reverted, no event; forward again to b: also seen, no event.
        aws.ssmFake(E1).parameter("/up/al", "ami-0000000a");
        assertEquals(CheckStatus.REVERTED, tracker.check(List.of(al), List.of(E1)).results().get(0).status());
        aws.ssmFake(E1).parameter("/up/al", "ami-0000000b");
        CheckReport r6 = tracker.check(List.of(al), List.of(E1));
        assertEquals(CheckStatus.REVERTED, r6.results().get(0).status());
        assertTrue(r6.events().isEmpty(), "the same AMI is never new twice");

        // An unseen AMI older than the current one: reverted too.
        aws.ssmFake(E1).parameter("/up/al", "ami-0000000c");
        assertEquals(CheckStatus.REVERTED, tracker.check(List.of(al), List.of(E1)).results().get(0).status());
        assertEquals(List.of("ami-0000000c", "ami-0000000b", "ami-0000000a"),
                ledger.snapshot().get("al").get(E1).history());
    }

    @Test
    void anErrorKeepsTheRecordAndIsRemembered() {
        TrackedImage al = param("al", "/up/al");
        aws.ssmFake(E1).parameter("/up/al", "ami-0000000a");
        tracker.check(List.of(al), List.of(E1));
        aws.ssmFake(E1).parameters.remove("/up/al");
        CheckReport r = tracker.check(List.of(al), List.of(E1));
        assertEquals(CheckStatus.ERROR, r.results().get(0).status());
        assertEquals("ami-0000000a", r.results().get(0).previousImageId());
        LedgerEntry entry = ledger.snapshot().get("al").get(E1);
        assertEquals("ami-0000000a", entry.imageId());
        assertEquals("parameter not found: /up/al", entry.lastError());
        aws.ssmFake(E1).parameter("/up/al", "ami-0000000a");
        assertEquals(CheckStatus.UNCHANGED, tracker.check(List.of(al), List.of(E1)).results().get(0).status());
        assertNull(ledger.snapshot().get("al").get(E1).lastError());
    }

    @Test
    void pendingEventsSurviveANewProcess() {
        TrackedImage al = param("al", "/up/al");
        aws.ssmFake(E1).parameter("/up/al", "ami-0000000a");
        tracker.check(List.of(al), List.of(E1));
        aws.ssmFake(E1).parameter("/up/al", "ami-0000000b");
        tracker.check(List.of(al), List.of(E1));
        // The process dies before delivering: a new one, reading the same file, still has the event.
        Tracker restarted = new Tracker(aws, new Ledger(dir.resolve("state.json")), line -> { });
        List<ReleaseEvent> pending = restarted.pendingEvents();
        assertEquals(1, pending.size());
        assertEquals(new ImageSource.Parameter("/up/al"), pending.get(0).imageSource());
        restarted.acknowledge(pending.get(0).id());
        restarted.acknowledge(pending.get(0).id());
        assertTrue(tracker.pendingEvents().isEmpty());
    }

    @Test
    void releaseEventHoldsSeed004ShapeExactly() throws Exception {
        TrackedImage al = filters("amazon-linux-2-eks-1.27", "al-*");
        aws.ec2Fake(E1).image("ami-0000000a", "al-a", "2026-01-01T00:00:00.000Z", "amazon");
        tracker.check(List.of(al), List.of(E1));
        aws.ec2Fake(E1).image("ami-0000000b", "al-b", "2026-02-01T00:00:00.000Z", "amazon");
        ReleaseEvent e = tracker.check(List.of(al), List.of(E1)).events().get(0);
        var json = io.amifactory.engine.Json.MAPPER.readTree(e.toJson());
        var v1 = json.get("v1");
        assertEquals("A new version of the amazon-linux-2-eks-1.27 has been released. You are now able to launch "
                + "new EC2 instances from these AMIs.", v1.get("Message").asText());
        assertEquals("amazon-linux-2-eks-1.27", v1.get("image").get("image_name").asText());
        assertEquals("ami-0000000b", v1.get("image").get("image_id").asText());
        assertEquals("us-east-1", v1.get("region").asText());
        assertEquals(3, v1.size());
        assertEquals(2, v1.get("image").size());
        assertEquals("al-b", json.get("imageName").asText());
        assertEquals("ami-0000000a", json.get("previousImageId").asText());
        assertEquals("2026-02-01T00:00:00.000Z", json.get("creationDate").asText());
        assertEquals("al-*", json.get("source").get("filters").get("name").get(0).asText());
        assertEquals("amazon", json.get("source").get("owners").get(0).asText());
    }

    @Test
    void roleImagesUseTheirRoleAndLookupRecordsNothing() {
        TrackedImage other = new TrackedImage("x", new ImageSource.Parameter("/up/x"), List.of(E1),
                "arn:aws:iam::123456789012:role/r", "ext");
        aws.ssmFake(E1).parameter("/up/x", "ami-0000000a");
        List<Resolution> r = tracker.lookup(other, List.of());
        assertEquals("ami-0000000a", r.get(0).imageId());
        assertTrue(aws.roles.contains("arn:aws:iam::123456789012:role/r"));
        assertTrue(ledger.snapshot().isEmpty(), "lookup records nothing");
    }

    @Test
    void imageWithoutRegionsIsAnErrorLine() {
        CheckReport r = tracker.check(List.of(param("al", "/up/al")), List.of());
        assertEquals(CheckStatus.ERROR, r.results().get(0).status());
        assertTrue(r.results().get(0).error().startsWith("no region"));
        assertEquals(0, aws.log.size());
    }

    @Test
    void ecsStyleJsonParameterValues() {
        assertEquals("ami-0123456789abcdef0", UpstreamResolver.amiIdOf(
                "{\"ecs_agent_version\":\"1.8\",\"image_id\":\"ami-0123456789abcdef0\",\"image_name\":\"x\"}"));
        assertNull(UpstreamResolver.amiIdOf("{\"image\":\"none\"}"));
    }

    // ---- interrupts (a Jenkins controller shutting down interrupts the check under way)

    @Test
    void anInterruptedCheckStopsAtOnceRecordsNoErrorAndTheNextCheckCarriesOn() throws Exception {
        aws.ssmFake(E1).parameter("/up/a", "ami-0000000a");
        aws.ec2Fake(E1).image("ami-0000000a", "a", "2026-01-01T00:00:00.000Z", "amazon");
        aws.ec2Fake(E1).image("ami-0000000f", "f-1", "2026-01-01T00:00:00.000Z", "amazon");
        List<TrackedImage> images = List.of(param("a", "/up/a"), filters("f", "f-*"));
        tracker.check(images, List.of(E1));
        String before = Files.readString(dir.resolve("state.json"));
        aws.log.clear();
        aws.ssmFake(E1).failNext(FakeErrors::interrupted);

        AwsInterruptedException e = assertThrows(AwsInterruptedException.class, () -> tracker.check(images, List.of(E1)));

        assertTrue(Thread.interrupted(), "the caller sees the interrupt");
        assertEquals("interrupted while checking tracked images", e.getMessage());
        assertEquals(List.of("getParameters"), aws.log.calls(), "no call after the interrupt");
        assertEquals(before, Files.readString(dir.resolve("state.json")), "no pair records the interrupt as its error");
        CheckReport next = tracker.check(images, List.of(E1));
        assertTrue(next.results().stream().allMatch(r -> r.status() == CheckStatus.UNCHANGED), next.results().toString());
    }

    @Test
    void aCheckOnAnInterruptedThreadIsInterruptedNotAnUnwritableStateFile() throws Exception {
        aws.ssmFake(E1).parameter("/up/a", "ami-0000000a");
        List<TrackedImage> images = List.of(param("a", "/up/a"));
        tracker.check(images, List.of(E1));
        String before = Files.readString(dir.resolve("state.json"));
        Thread.currentThread().interrupt();

        // locking the state file on an interrupted thread fails with ClosedByInterruptException
        assertThrows(AwsInterruptedException.class, () -> tracker.check(images, List.of(E1)));
        assertTrue(Thread.interrupted());
        assertEquals(before, Files.readString(dir.resolve("state.json")));
    }
}
