package io.amifactory.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.build.BuildMachine;
import io.amifactory.engine.build.BuildRecord;
import io.amifactory.engine.build.BuildRecordStore;
import io.amifactory.engine.build.BuildResult;
import io.amifactory.engine.build.BuildServices;
import io.amifactory.engine.build.BuildStatus;
import io.amifactory.engine.build.FakeClock;
import io.amifactory.engine.build.FileBuildRecordStore;
import io.amifactory.engine.build.Reaper;
import io.amifactory.engine.build.Step;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.build.spec.BuildSpecReader;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.testkit.CallLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Kills a real build (the real SDK through a clean proxy to Moto, its record in a real file) at every point
 * where it persists its {@link BuildRecord} — just before the record is written, so that whatever the build
 * did since the last save (a launch, an image, a copy, a parameter) is not in the file — and then does what
 * an operator does after a crash: {@code amifactory build --resume FILE} (a new machine over the saved
 * record), or {@code --resume FILE --abort} (a cleanup machine over it) followed by {@code amifactory reap}.
 * The resumed build must end with exactly one instance ever launched and one AMI per region; the abandoned
 * one with nothing at all left: no instance, AMI, snapshot or parameter.
 *
 * <p>By default the sweep takes the saves that follow a call that changed something in AWS (a launch, an
 * image, a copy, a share, a parameter, a termination): there the file lags what AWS has, which is what a
 * resume or a cleanup must make up for. A crash before any other save leaves the file as current as after
 * the save before it. {@code -Damifactory.crashPoints=all} kills the build before every one of its saves
 * (about six minutes).
 */
class BuildCrashPointsTest extends FlowUnderFaults {
    private static final String HOME = "us-east-1";
    private static final String COPY = "us-west-2";
    private static final List<String> REGIONS = List.of(HOME, COPY);
    private static final String PARAMETER = "/amifactory/web/latest";
    private static final String SPEC = """
            name: web
            region: us-east-1
            imageName: "web-{timestamp}"
            source: SOURCE
            userData: |
              #!/bin/bash
              yum install -y nginx
            completion: stop
            copies: [us-west-2]
            share: {accounts: ["444455556666"]}
            publish: /amifactory/{name}/latest
            """;

    /** The process dies here. An Error, so that nothing on the way up mistakes it for an AWS failure. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String where) {
            super("simulated crash " + where);
        }
    }

    /**
     * The build's file store, except that the process dies just before the {@code crashAt}-th save. Notes
     * where each save comes and what the build changed in AWS since the save before it.
     */
    static final class CrashingStore implements BuildRecordStore {
        final FileBuildRecordStore file;
        final int crashAt;
        final CallLog calls;
        final List<String> saves = new ArrayList<>();
        int mutatingSeen;

        CrashingStore(FileBuildRecordStore file, int crashAt, CallLog calls) {
            this.file = file;
            this.crashAt = crashAt;
            this.calls = calls;
        }

        @Override
        public void save(BuildRecord record) {
            List<String> mutating = calls.mutating();
            String point = describe(record) + (mutating.size() > mutatingSeen
                    ? ", after " + String.join(" ", mutating.subList(mutatingSeen, mutating.size())) : "");
            mutatingSeen = mutating.size();
            saves.add(point);
            if (saves.size() == crashAt) {
                throw new SimulatedCrash("before save " + crashAt + " (" + point + ")");
            }
            file.save(record);
        }
    }

    static String describe(BuildRecord r) {
        return switch (r.state()) {
            case RUNNING -> r.currentPhase();
            case UNWINDING -> "unwinding after " + r.outcome().label();
            case FINISHED -> "finished";
        };
    }

    @TempDir
    Path dir;

    private String source;
    private int builds;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @TestFactory
    Stream<DynamicNode> aBuildKilledBeforeAnyOfItsSavesIsResumedOnceOrCleanedUpCompletely() {
        source = direct.ec2(HOME).describeImages(b -> b.owners("amazon")
                .filters(f -> f.name("name").values("amzn2-ami-hvm-*-x86_64-gp2"))).images().get(0).imageId();
        // the reference run: where a build saves its record, in order
        CrashingStore reference = new CrashingStore(new FileBuildRecordStore(dir.resolve("reference.json")), -1,
                cleanProxy.log());
        FakeClock clock = clock();
        BuildResult r = drive(new BuildMachine(spec(), BuildRecord.start(spec(), "cli", clock),
                BuildServices.of(clean, reference), lines::add, clock), clock);
        assertEquals(BuildStatus.SUCCEEDED, r.status(), String.join("\n", lines));
        List<String> points = List.copyOf(reference.saves);
        System.out.println("[crash points] a build saves its record " + points.size() + " times: " + String.join(" | ", points));
        boolean all = "all".equals(System.getProperty("amifactory.crashPoints"));
        return IntStream.rangeClosed(1, points.size())
                .filter(n -> all || n == 1 || points.get(n - 1).contains(", after "))
                .mapToObj(n -> DynamicContainer.dynamicContainer(
                "before save " + n + " (" + points.get(n - 1) + ")", Stream.of(
                        DynamicTest.dynamicTest("resumed", () -> crashThenResume(n)),
                        DynamicTest.dynamicTest("aborted and reaped", () -> crashThenAbort(n)))));
    }

    private void crashThenResume(int n) throws IOException {
        FakeClock clock = clock();
        Crashed crashed = crash(n, clock);
        BuildResult r;
        String buildId;
        if (Files.exists(crashed.file.file())) {
            BuildRecord saved = FileBuildRecordStore.load(crashed.file.file());
            buildId = saved.buildId();
            r = drive(new BuildMachine(spec(), saved, BuildServices.of(clean, crashed.file), lines::add, clock), clock);
        } else {
            // died before its first save: nothing to resume, and nothing was made; the operator starts again
            assertEquals(crashed.instancesBefore, buildInstances(), "nothing launched before the first save");
            BuildRecord fresh = BuildRecord.start(spec(), "cli", clock);
            buildId = fresh.buildId();
            r = drive(new BuildMachine(spec(), fresh, BuildServices.of(clean, crashed.file), lines::add, clock), clock);
        }
        String log = String.join("\n", lines);
        assertEquals(BuildStatus.SUCCEEDED, r.status(), log);
        List<String> launched = new ArrayList<>(buildInstances());
        launched.removeAll(crashed.instancesBefore);
        assertEquals(1, launched.size(), "one instance ever launched: " + launched + "\n" + log);
        assertTrue(launched.get(0).endsWith(buildId + " terminated"), launched.toString());
        for (String region : REGIONS) {
            String image = r.images().get(region);
            assertEquals(Set.of(image), newImages(region, crashed), "one AMI in " + region + "\n" + log);
            assertEquals(image, direct.ssm(region).getParameter(b -> b.name(PARAMETER)).parameter().value());
        }
        assertEquals(FileBuildRecordStore.load(crashed.file.file()).state(), BuildRecord.State.FINISHED);
        assertNoBuildInstanceLeft(REGIONS);
    }

    private void crashThenAbort(int n) throws IOException {
        FakeClock clock = clock();
        Crashed crashed = crash(n, clock);
        BuildResult r = null;
        if (Files.exists(crashed.file.file())) {
            BuildRecord saved = FileBuildRecordStore.load(crashed.file.file());
            r = drive(BuildMachine.forCleanup(saved, BuildServices.of(clean, crashed.file), lines::add, clock,
                    "--abort"), clock);
        }
        // and nobody else: once the instances' expiry has passed, the reaper finds nothing of the build to end
        clock.advance(Duration.ofDays(2));
        List<Reaper.Reaped> reaped = new Reaper(clean, clock, null).reap(REGIONS, false);
        String log = String.join("\n", lines);
        assertTrue(reaped.stream().noneMatch(x -> x.action() == Reaper.Action.TERMINATED), "reaped " + reaped + "\n" + log);
        assertNoBuildInstanceLeft(REGIONS);
        if (r != null && r.status() == BuildStatus.SUCCEEDED) {
            // the crash came after the build had succeeded (while it was ending): the images are the result
            for (String region : REGIONS) {
                assertEquals(Set.of(r.images().get(region)), newImages(region, crashed), log);
            }
            return;
        }
        if (r != null) {
            assertEquals(BuildStatus.ABORTED, r.status(), log);
            assertEquals(List.of(), r.leftovers(), log);
        }
        for (String region : REGIONS) {
            assertEquals(crashed.imagesBefore.get(region), ownImages(region), "no AMI left in " + region + "\n" + log);
            assertEquals(crashed.snapshotsBefore.get(region), ownSnapshots(region), "no snapshot left in " + region + "\n" + log);
            assertEquals(crashed.parameterBefore.get(region), parameter(region), "the parameter as before in " + region);
        }
    }

    /** What there was before the crashed build: the tests share one Moto (a reset costs more than a build). */
    private record Crashed(FileBuildRecordStore file, Map<String, Set<String>> imagesBefore,
            Map<String, Set<String>> snapshotsBefore, Map<String, String> parameterBefore, List<String> instancesBefore) {
    }

    /** The build until it dies just before its {@code n}-th save. */
    private Crashed crash(int n, FakeClock clock) {
        lines.clear();
        Map<String, Set<String>> images = new HashMap<>();
        Map<String, Set<String>> snapshots = new HashMap<>();
        Map<String, String> parameters = new HashMap<>();
        for (String region : REGIONS) {
            images.put(region, ownImages(region));
            snapshots.put(region, ownSnapshots(region));
            parameters.put(region, parameter(region));
        }
        List<String> instances = buildInstances();
        FileBuildRecordStore file = new FileBuildRecordStore(dir.resolve("crash-" + n + "-" + System.nanoTime() + ".json"));
        CrashingStore store = new CrashingStore(file, n, cleanProxy.log());
        try {
            BuildResult r = drive(new BuildMachine(spec(), BuildRecord.start(spec(), "cli", clock),
                    BuildServices.of(clean, store), lines::add, clock), clock);
            fail("the build ended (" + r.status() + ") without reaching save " + n + ": " + store.saves);
        } catch (SimulatedCrash expected) {
            lines.add("--- " + expected.getMessage() + " ---");
        }
        return new Crashed(file, images, snapshots, parameters, instances);
    }

    /**
     * Each build starts an hour after the one before: its AMI gets a name of its own ({@code {timestamp}}), as
     * the builds share one Moto.
     */
    private FakeClock clock() {
        return new FakeClock(Instant.parse("2026-03-01T10:00:00Z").plus(Duration.ofHours(builds++)));
    }

    private String parameter(String region) {
        try {
            return direct.ssm(region).getParameter(b -> b.name(PARAMETER)).parameter().value();
        } catch (ParameterNotFoundException none) {
            return null;
        }
    }

    private BuildSpec spec() {
        return new BuildSpecReader(null).readOne(InputNode.parse("spec.yaml", SPEC.replace("SOURCE", source)), null);
    }

    /** Drives a machine; stops its instance (straight to Moto) while it customises, as the script would. */
    private BuildResult drive(BuildMachine m, FakeClock clock) {
        boolean stopped = false;
        Step s;
        while (!(s = m.step()).isDone()) {
            BuildRecord now = m.record();
            if (!stopped && now.state() == BuildRecord.State.RUNNING && "customise".equals(now.currentPhase())
                    && now.instanceId() != null) {
                direct.ec2(HOME).stopInstances(b -> b.instanceIds(now.instanceId()));
                stopped = true;
            }
            clock.advance(s.pollAfter());
        }
        return s.result();
    }

    /** Every build instance ever launched, in any state: "region/id build-id state". */
    private List<String> buildInstances() {
        List<String> out = new ArrayList<>();
        for (String region : REGIONS) {
            direct.ec2(region).describeInstancesPaginator(b -> b.filters(Filter.builder().name("tag:" + Tags.ROLE)
                    .values(Tags.ROLE_BUILD_INSTANCE).build())).reservations().forEach(res -> res.instances().forEach(i ->
                    out.add(region + "/" + i.instanceId() + " " + i.tags().stream().filter(t -> t.key().equals(Tags.BUILD_ID))
                            .map(t -> t.value()).findFirst().orElse("?") + " " + i.state().nameAsString())));
        }
        return out;
    }

    private Set<String> newImages(String region, Crashed crashed) {
        Set<String> ids = new TreeSet<>(ownImages(region));
        ids.removeAll(crashed.imagesBefore.get(region));
        return ids;
    }
}
