package io.amifactory.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.build.spec.BuildSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;

/** Builds of one process read instance and image states together: one call per region per tick. */
class SharedPollsTest {
    private static final String REGION = Harness.REGION;

    private static String launch(Ec2Client ec2) {
        return ec2.runInstances(b -> b.imageId(Harness.SOURCE).instanceType(InstanceType.T3_SMALL).minCount(1).maxCount(1))
                .instances().get(0).instanceId();
    }

    @Test
    void everyAskerOfATickSharesOneReadAndANewIdOrAFirstLookReadsAgain() {
        Harness h = new Harness();
        Ec2Client ec2 = h.aws.ec2(REGION);
        SharedPolls polls = SharedPolls.of(h.aws);
        assertSame(polls, SharedPolls.of(h.aws), "one per set of clients");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(launch(ec2));
        }
        Instant tick = h.clock.instant();
        assertEquals(0, tick.getEpochSecond() % 15, "the harness clock starts on a tick");
        h.aws.calls.clear();
        for (String id : ids) {
            assertEquals(id, polls.instance(ec2, REGION, id, tick, false).instanceId());
        }
        assertEquals(5L, h.aws.calls.count("describeInstances"), "each id is new once");
        h.aws.calls.clear();

        Instant next = tick.plus(SharedPolls.TICK);
        for (String id : ids) {
            assertNotNull(polls.instance(ec2, REGION, id, next, false));
        }
        assertEquals(1L, h.aws.calls.count("describeInstances"), "five builds, one read at the next tick");
        assertNotNull(polls.instance(ec2, REGION, ids.get(0), next.plusSeconds(7), false));
        assertEquals(1L, h.aws.calls.count("describeInstances"), "later in the same tick: the tick's answer");
        assertNotNull(polls.instance(ec2, REGION, ids.get(0), next.plusSeconds(7), true));
        assertEquals(2L, h.aws.calls.count("describeInstances"), "a phase's first look reads afresh");
        assertNull(polls.instance(ec2, REGION, "i-00000000000000bad", next.plusSeconds(7), false),
                "an id EC2 does not know (yet) is null, and fails nobody else's read");
        assertEquals(SharedPolls.TICK.minusSeconds(7), SharedPolls.untilNextTick(next.plusSeconds(7)));
        assertEquals(SharedPolls.TICK, SharedPolls.untilNextTick(next));
    }

    @Test
    void aFailedReadIsOneCallPerTickAndIdsNobodyAsksForAreDropped() {
        Harness h = new Harness();
        Ec2Client ec2 = h.aws.ec2(REGION);
        SharedPolls polls = SharedPolls.of(h.aws);
        String a = launch(ec2);
        String b = launch(ec2);
        Instant t = h.clock.instant();
        polls.instance(ec2, REGION, a, t, false);
        polls.instance(ec2, REGION, b, t, false);
        h.aws.faults.throttle("describeInstances", 1);
        h.aws.calls.clear();
        Instant next = t.plus(SharedPolls.TICK);
        RuntimeException first = assertThrows(RuntimeException.class, () -> polls.instance(ec2, REGION, a, next, false));
        RuntimeException second = assertThrows(RuntimeException.class, () -> polls.instance(ec2, REGION, b, next, false));
        assertSame(first, second, "the other builds of the tick get the same error");
        assertEquals(1L, h.aws.calls.count("describeInstances"));
        assertNotNull(polls.instance(ec2, REGION, a, next.plus(SharedPolls.TICK), false), "the next tick reads again");

        // b is not asked about for four ticks: the read at the fifth no longer includes it, so asking for b again
        // after that needs a read of its own
        Instant later = next.plus(SharedPolls.TICK.multipliedBy(5));
        polls.instance(ec2, REGION, a, later, false);
        h.aws.calls.clear();
        polls.instance(ec2, REGION, b, later, false);
        assertEquals(1L, h.aws.calls.count("describeInstances"), "b was dropped from the shared read");
    }

    @Test
    void tenBuildsAtOnceShareTheirWaitsAndNoticeEverythingWithinATick() {
        Harness alone = new Harness();
        List<BuildMachine> one = List.of(alone.machine(Harness.spec(Harness.FULL)));
        runTogether(one, alone.aws, alone.clock);
        long oneBuild = stateReads(alone.aws);

        Harness h = new Harness();
        List<BuildMachine> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            BuildSpec spec = Harness.spec(Harness.FULL.replace("name: web", "name: web-" + i)
                    .replace("\"web-{timestamp}\"", "\"web-" + i + "-{timestamp}\""));
            BuildMachine m = h.machine(spec);
            // spread the customisations over five minutes, as real builds finish at different times
            h.aws.timings.put(m.buildId(), new FakeAws.Timing(Duration.ofSeconds(20), Duration.ofMinutes(20).plusSeconds(31L * i),
                    Duration.ofSeconds(30), Duration.ofMinutes(6).plusSeconds(17L * i), Duration.ofMinutes(12).plusSeconds(23L * i)));
            ten.add(m);
        }
        List<Duration> noticed = runTogether(ten, h.aws, h.clock);
        for (BuildMachine m : ten) {
            assertEquals(BuildStatus.SUCCEEDED, m.step().result().status(), h.log());
        }
        long tenBuilds = stateReads(h.aws);
        // each build still makes its own first looks and its own searches by tag (launch, cleanup, preflight);
        // the waits, which are most of the reads, are shared: without that, ten builds read ten times as often
        assertTrue(tenBuilds < 3 * oneBuild, "ten builds read instance and image states " + tenBuilds
                + " times, one build alone " + oneBuild + " times");
        assertTrue(noticed.stream().allMatch(d -> d.compareTo(SharedPolls.TICK) <= 0), "noticed after " + noticed);
    }

    @Test
    void theConsoleIsReadWhenTheStateChangesAndOnceAMinuteForTheLiveLog() {
        Harness h = new Harness();
        h.aws.customisationTime = Duration.ofMinutes(25);
        BuildResult r = h.run(Harness.FULL);
        assertEquals(BuildStatus.SUCCEEDED, r.status(), h.log());
        long reads = h.aws.calls.count("getConsoleOutput");
        assertTrue(reads >= 25 && reads <= 28, "about one read a minute for 25 minutes, and one when the instance "
                + "powered off: " + reads);
        assertTrue(h.log().contains("| nginx installed"), "the output is still shown");
        assertTrue(h.log().contains("the customisation finished with exit status 0"), h.log());
    }

    private static long stateReads(FakeAws aws) {
        return aws.calls.count("describeInstances") + aws.calls.count("describeImages");
    }

    /**
     * Steps the machines in time order on one clock, as their drivers would; returns, for every build, how long
     * after its instance stopped and its images became available the build noticed.
     */
    private static List<Duration> runTogether(List<BuildMachine> machines, FakeAws aws, FakeClock clock) {
        record Due(Instant at, int order) {
        }
        PriorityQueue<Due> queue = new PriorityQueue<>(Comparator.comparing(Due::at).thenComparingInt(Due::order));
        for (int i = 0; i < machines.size(); i++) {
            queue.add(new Due(clock.instant(), i));
        }
        List<Duration> noticed = new ArrayList<>();
        while (!queue.isEmpty()) {
            Due due = queue.poll();
            clock.advance(Duration.between(clock.instant(), due.at()));
            BuildMachine m = machines.get(due.order());
            String before = m.record().state() == BuildRecord.State.RUNNING ? m.record().currentPhase() : "";
            Step s = m.step();
            String after = m.record().state() == BuildRecord.State.RUNNING ? m.record().currentPhase() : "";
            if (!before.equals(after) && List.of("stop", "wait-image", "copy").contains(before)) {
                noticed.add(Duration.between(happened(aws, m.record(), before), clock.instant()));
            }
            if (!s.isDone()) {
                queue.add(new Due(clock.instant().plus(s.pollAfter()), due.order()));
            }
        }
        return noticed;
    }

    /** When what {@code phase} waits for happened in the fake. */
    private static Instant happened(FakeAws aws, BuildRecord r, String phase) {
        return switch (phase) {
            case "stop" -> aws.fakeEc2(REGION).stoppedAt(r.instanceId());
            case "wait-image" -> aws.fakeEc2(REGION).availableAt(r.imageIds().get(REGION));
            default -> aws.fakeEc2("us-east-1").availableAt(r.imageIds().get("us-east-1"));
        };
    }
}
