package io.amifactory.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultPlan.Fault;
import io.amifactory.engine.track.CheckReport;
import io.amifactory.engine.track.CheckResult;
import io.amifactory.engine.track.CheckStatus;
import io.amifactory.engine.track.ImageSource;
import io.amifactory.engine.track.Ledger;
import io.amifactory.engine.track.ReleaseEvent;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.Tracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check cycle under wire-level faults, through the real SDK against Moto: every cycle runs twice over
 * the same upstream data — through a clean proxy and through a faulty one, each with its own state file —
 * and the faulty run must report exactly what the clean one does, event for event.
 */
class CheckUnderFaultsTest extends FlowUnderFaults {
    private static final List<String> REGIONS = List.of("us-east-1", "ap-southeast-2");
    private static final List<String> CALL_TYPES = List.of("ssm:GetParameters", "ec2:DescribeImages");
    private static final String AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-";
    /** With the two AWS public ones, ten: one GetParameters call per region and cycle. */
    private static final int PARAMETERS = 8;

    @TempDir
    Path dir;

    /** Per region: the AMIs our parameters pointed at, release 1 first. */
    private final Map<String, List<String>> parameterImages = new HashMap<>();

    /**
     * 8 own parameters, 2 AWS public parameters, an own family asked by two images, an AWS public family:
     * per region and cycle one GetParameters, two DescribeImages, and one more DescribeImages for the names
     * of parameter AMIs not seen before. (Few calls: under 50% throttling the SDK's adaptive retries spend
     * seconds on each, as they should.)
     */
    private List<TrackedImage> tracked() {
        List<TrackedImage> images = new ArrayList<>();
        for (int i = 0; i < PARAMETERS; i++) {
            images.add(new TrackedImage("param-" + i, new ImageSource.Parameter("/vendor/os-" + i + "/latest"), List.of()));
        }
        images.add(new TrackedImage("al2023-x86", new ImageSource.Parameter(AL2023 + "x86_64"), List.of()));
        images.add(new TrackedImage("al2023-arm", new ImageSource.Parameter(AL2023 + "arm64"), List.of()));
        images.add(new TrackedImage("family-a", family("vendor-a-os-*"), List.of()));
        images.add(new TrackedImage("family-a-again", family("vendor-a-os-*"), List.of()));
        images.add(new TrackedImage("ecs-gpu", new ImageSource.Filters(
                Map.of("name", List.of("al2023-ami-ecs-gpu-hvm-*")), List.of("amazon"), false), List.of()));
        return images;
    }

    private static ImageSource.Filters family(String pattern) {
        return new ImageSource.Filters(Map.of("name", List.of(pattern)), List.of("self"), false);
    }

    /** Release {@code version} of everything we stand in for, in every region. */
    private void release(int version) {
        String v = String.format("2026.%02d", version);
        for (String region : REGIONS) {
            upstreamImage(region, "vendor-a-os-" + v);
            List<String> ids = parameterImages.computeIfAbsent(region, r -> new ArrayList<>());
            ids.add(upstreamImage(region, "vendor-p-os-" + v));
            for (int i = 0; i < PARAMETERS; i++) {
                // half of the parameters move with every release, the other half only every other one
                if (i % 2 == 0 || version % 2 == 1) {
                    parameter(region, "/vendor/os-" + i + "/latest", ids.get(ids.size() - 1));
                }
            }
        }
    }

    /** Two trackers over the same upstream: one through the clean proxy, one through the faulty one. */
    private final class Twin {
        final Ledger referenceLedger = new Ledger(dir.resolve("clean.json"));
        final Ledger faultyLedger = new Ledger(dir.resolve("faulty.json"));
        final List<TrackedImage> images = tracked();

        Tracker reference() {
            return new Tracker(clean, referenceLedger, line -> { });
        }

        /** With the faulty side's current clients (a test may change their settings between cycles). */
        Tracker underFaults() {
            return new Tracker(faulty, faultyLedger, line -> { });
        }

        /** One cycle on both; asserts the same report; delivers the events as the CLI does; returns the report. */
        CheckReport cycle(String what) {
            Tracker reference = reference();
            Tracker underFaults = underFaults();
            CheckReport expected = reference.check(images, REGIONS);
            CheckReport actual = underFaults.check(images, REGIONS);
            assertFalse(expected.anyError(), what + ": the reference run failed: " + expected);
            assertSameResults(what, expected.results(), actual.results());
            assertEquals(comparable(expected.events()), comparable(actual.events()), what + ": events differ under faults");
            expected.events().forEach(e -> reference.acknowledge(e.id()));
            actual.events().forEach(e -> underFaults.acknowledge(e.id()));
            return actual;
        }
    }

    /** Fails naming only the lines that differ (a whole report is too long to read in a failure). */
    private void assertSameResults(String what, List<CheckResult> expected, List<CheckResult> actual) {
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            CheckResult e = i < expected.size() ? expected.get(i) : null;
            CheckResult a = i < actual.size() ? actual.get(i) : null;
            if (!java.util.Objects.equals(e, a)) {
                differences.add("expected " + e + "\n     got " + a);
            }
        }
        assertTrue(differences.isEmpty(), what + ": " + differences.size() + " result(s) differ under faults "
                + faultCounts() + "\n" + String.join("\n", differences));
    }

    /** Events without their detection time (the two runs detect a few seconds apart). */
    private static List<ObjectNode> comparable(List<ReleaseEvent> events) {
        return events.stream().map(e -> {
            ObjectNode n = e.toJsonTree();
            n.remove("detectedAt");
            return n;
        }).toList();
    }

    private static long count(CheckReport r, CheckStatus status) {
        return r.results().stream().filter(x -> x.status() == status).count();
    }

    @Test
    void repeatedCyclesUnderThrottlingAndServerErrorsReportExactlyWhatAFaultFreeRunReports() {
        release(1);
        Twin twin = new Twin();
        faults(throttlingAndServerErrors(seed(), CALL_TYPES));
        int pairs = twin.images.size() * REGIONS.size();

        CheckReport baseline = twin.cycle("first cycle");
        assertEquals(pairs, count(baseline, CheckStatus.BASELINE));

        release(2);
        CheckReport second = twin.cycle("after release 2");
        // the even parameters moved (odd ones move on odd releases), and the family (two images); public ones did not
        assertEquals((PARAMETERS / 2 + 2) * REGIONS.size(), count(second, CheckStatus.NEW));
        assertEquals((PARAMETERS / 2 + 2) * REGIONS.size(), second.events().size());

        release(3);
        for (String region : REGIONS) {
            // upstream withdraws release 3 of parameter 0 and points back at release 1
            parameter(region, "/vendor/os-0/latest", parameterImages.get(region).get(0));
        }
        CheckReport third = twin.cycle("after release 3, one parameter withdrawn");
        assertEquals(REGIONS.size(), count(third, CheckStatus.REVERTED));
        assertEquals((PARAMETERS - 1 + 2) * REGIONS.size(), count(third, CheckStatus.NEW));
        assertEquals(3 * REGIONS.size(), count(third, CheckStatus.UNCHANGED), "the AWS public images did not move");

        assertFaultsReached(CALL_TYPES, List.of(Fault.THROTTLE, Fault.SERVER_ERROR, Fault.UNAVAILABLE));
    }

    @Test
    void droppedConnectionsAndLatencyChangeNothing() {
        release(1);
        Twin twin = new Twin();
        faults(droppedConnectionsAndLatency(seed(), CALL_TYPES));
        twin.cycle("first cycle");
        release(2);
        CheckReport second = twin.cycle("after release 2");
        assertEquals((PARAMETERS / 2 + 2) * REGIONS.size(), second.events().size());
        assertFaultsReached(CALL_TYPES, List.of(Fault.DROP, Fault.DROP_AFTER));
        assertTrue(faultyProxy.calls().stream().anyMatch(c -> !c.delay().isZero()), "latency was added");
    }

    /**
     * Throttling that outlasts the retries fails only the pairs of the throttled calls; their records stay
     * as they were, and the release that happened meanwhile fires once when the throttling stops.
     */
    @Test
    void throttlingBeyondTheRetriesLosesNoReleaseEvent() {
        release(1);
        Twin twin = new Twin();
        twin.cycle("first cycle");

        faultySettings(b -> b.maxAttempts(2));
        faults(FaultPlan.seeded(seed()).inject("ssm:*", Fault.THROTTLE, 1.0));
        release(2);
        CheckReport throttled = twin.underFaults().check(twin.images, REGIONS);
        for (CheckResult r : throttled.results()) {
            boolean parameter = r.image().startsWith("param-") || r.image().startsWith("al2023-");
            assertEquals(parameter ? CheckStatus.ERROR : r.image().equals("ecs-gpu") ? CheckStatus.UNCHANGED : CheckStatus.NEW,
                    r.status(), r.toString());
            if (parameter) {
                assertTrue(r.error().startsWith("throttled beyond retries: ThrottlingException: Rate exceeded"), r.error());
            }
        }

        faults(FaultPlan.none());
        CheckReport recovered = twin.underFaults().check(twin.images, REGIONS);
        List<ReleaseEvent> parameterEvents = recovered.events().stream()
                .filter(e -> e.trackedImage().startsWith("param-")).toList();
        assertEquals(PARAMETERS / 2 * REGIONS.size(), parameterEvents.size(), "every parameter release fires once");
        assertEquals(PARAMETERS / 2 * REGIONS.size(), count(recovered, CheckStatus.NEW), "and only those are new");
        parameterEvents.forEach(e -> assertEquals(
                parameterImages.get(e.region()).get(0), e.previousImageId(), "compared with what was recorded before"));
        assertEquals(2 * REGIONS.size(), recovered.events().size() - parameterEvents.size(),
                "the family events of the throttled cycle are still pending, not fired again");
    }
}
