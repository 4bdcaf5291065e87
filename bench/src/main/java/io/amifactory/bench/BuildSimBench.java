package io.amifactory.bench;

import io.amifactory.engine.build.BuildMachine;
import io.amifactory.engine.build.BuildRecord;
import io.amifactory.engine.build.BuildServices;
import io.amifactory.engine.build.BuildStatus;
import io.amifactory.engine.build.FakeAws;
import io.amifactory.engine.build.FakeClock;
import io.amifactory.engine.build.Step;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.build.spec.BuildSpecReader;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.progress.ProgressListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Simulated builds of about 30 minutes on the build engine's fake AWS and fake clock (engine test sources):
 * how many AWS calls each phase makes, how many calls a second each region gets, and how long after the
 * instance really stopped, the image really became available and the copy really became available the build
 * machine noticed. Completion times are drawn at random for every build, so the detection latency is measured
 * against where each event falls in the machine's polling, not at one lucky point.
 *
 * <p>Two modes. {@code --builds N} runs N builds one after the other, each alone in its process.
 * {@code --concurrent N} runs N builds at once in one process against one AWS (a seed-001 payload with N AMIs,
 * or N {@code amiBuild} steps on one controller), stepped in time order on one clock, as their drivers would.
 *
 * <p>The spec is the engine tests' "everything" build: user data with the completion marker, one copy,
 * sharing with snapshots, publishing, deprecation. Options: {@code --builds N | --concurrent N, --seed S}.
 */
final class BuildSimBench {
    private static final String REGION = "eu-west-1";
    private static final String COPY_REGION = "us-east-1";
    private static final String SOURCE = "ami-0a1b2c3d4e5f60718";
    private static final String SPEC = """
            name: NAME
            imageName: "{name}-{timestamp}"
            source: ami-0a1b2c3d4e5f60718
            userData: |
              #!/bin/bash
              dnf install -y nginx
            copies: [us-east-1]
            share:
              accounts: ["444455556666"]
              snapshots: true
            publish: /amifactory/{name}/latest
            image:
              deprecateAfter: 90d
            """;

    private BuildSimBench() {
    }

    /** One build as the simulation saw it. */
    private static final class Run {
        final BuildMachine machine;
        final FakeAws aws;
        final Map<String, Integer> callsPerPhase = new LinkedHashMap<>();
        Instant started;
        Instant stopNoticed;
        Instant imageNoticed;
        Instant copyNoticed;
        Instant finished;
        BuildStatus status;

        Run(BuildMachine machine, FakeAws aws) {
            this.machine = machine;
            this.aws = aws;
        }

        int calls() {
            return callsPerPhase.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** A step due at a time; ties go to the build started first, so that runs are reproducible. */
    private record Due(Instant at, int order, Run run) {
    }

    static void run(String[] args) {
        Map<String, String> opts = Options.parse(args);
        long seed = Long.parseLong(opts.getOrDefault("seed", "1"));
        Random random = new Random(seed);
        int concurrent = Integer.parseInt(opts.getOrDefault("concurrent", "0"));
        int builds = concurrent > 0 ? concurrent : Integer.parseInt(opts.getOrDefault("builds", "20"));

        List<Run> runs = new ArrayList<>();
        List<FakeAws> worlds = new ArrayList<>();
        if (concurrent > 0) {
            FakeClock clock = new FakeClock();
            FakeAws aws = world(clock);
            List<Run> together = new ArrayList<>();
            for (int i = 0; i < builds; i++) {
                together.add(start(aws, clock, i, random));
            }
            simulate(together, clock);
            runs.addAll(together);
            worlds.add(aws);
        } else {
            for (int i = 0; i < builds; i++) {
                FakeClock clock = new FakeClock();
                FakeAws aws = world(clock);
                Run r = start(aws, clock, i, random);
                simulate(List.of(r), clock);
                runs.add(r);
                worlds.add(aws);
            }
        }
        report(runs, worlds, builds, concurrent, seed);
    }

    private static FakeAws world(FakeClock clock) {
        FakeAws aws = new FakeAws(clock);
        aws.fakeEc2(REGION).addSourceImage(SOURCE, "al2023-ami-2023.6.20260220.0-kernel-6.1-x86_64", "x86_64", null);
        return aws;
    }

    private static Run start(FakeAws aws, FakeClock clock, int n, Random random) {
        String name = String.format("web-%02d", n + 1);
        BuildSpec spec = new BuildSpecReader(REGION).readOne(InputNode.parse("spec.yaml", SPEC.replace("NAME", name)), null);
        BuildRecord record = BuildRecord.start(spec, "bench", clock);
        // about 30 minutes in all: customisation 15-25 min, image 4-8 min, copy 6-14 min, any second
        aws.timings.put(record.buildId(), new FakeAws.Timing(Duration.ofSeconds(15 + random.nextInt(31)),
                Duration.ofSeconds(900 + random.nextInt(601)), Duration.ofSeconds(20 + random.nextInt(41)),
                Duration.ofSeconds(240 + random.nextInt(241)), Duration.ofSeconds(360 + random.nextInt(481))));
        Run r = new Run(new BuildMachine(spec, record, BuildServices.of(aws, null), ProgressListener.NONE, clock), aws);
        r.started = clock.instant();
        return r;
    }

    /** Steps every build when it asks to be stepped, in time order, on one clock, until all are done. */
    private static void simulate(List<Run> runs, FakeClock clock) {
        PriorityQueue<Due> queue = new PriorityQueue<>((a, b) -> a.at().equals(b.at())
                ? Integer.compare(a.order(), b.order()) : a.at().compareTo(b.at()));
        Map<Run, Integer> order = new HashMap<>();
        for (Run r : runs) {
            order.put(r, order.size());
            queue.add(new Due(clock.instant(), order.get(r), r));
        }
        while (!queue.isEmpty()) {
            Due due = queue.poll();
            Duration wait = Duration.between(clock.instant(), due.at());
            if (wait.isNegative()) {
                throw new IllegalStateException("the simulation went back in time");
            }
            clock.advance(wait);
            Run r = due.run();
            Step s = step(r, clock);
            if (s.isDone()) {
                r.status = s.result().status();
                r.finished = clock.instant();
            } else {
                queue.add(new Due(clock.instant().plus(s.pollAfter()), order.get(r), r));
            }
        }
    }

    private static Step step(Run r, FakeClock clock) {
        BuildRecord before = r.machine.record();
        String phase = before.isFinished() || before.state() != BuildRecord.State.RUNNING ? "cleanup and finish"
                : before.currentPhase();
        Instant now = clock.instant();
        FakeAws aws = r.aws;
        int callsBefore = aws.callCount();
        Step s = r.machine.step();
        r.callsPerPhase.merge(phase, aws.callCount() - callsBefore, Integer::sum);
        BuildRecord after = r.machine.record();
        String next = after.state() == BuildRecord.State.RUNNING ? after.currentPhase() : "";
        if (!phase.equals(next)) {
            // the step in which a waiting phase finished is when the machine noticed what it waited for
            switch (phase) {
                case "stop" -> r.stopNoticed = now;
                case "wait-image" -> r.imageNoticed = now;
                case "copy" -> r.copyNoticed = now;
                default -> { }
            }
        }
        return s;
    }

    private static void report(List<Run> runs, List<FakeAws> worlds, int builds, int concurrent, long seed) {
        Map<String, int[]> perPhase = new LinkedHashMap<>();
        List<Long> stopDelays = new ArrayList<>();
        List<Long> imageDelays = new ArrayList<>();
        List<Long> copyDelays = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            FakeAws aws = r.aws;
            if (r.status != BuildStatus.SUCCEEDED) {
                throw new IllegalStateException("a simulated build did not succeed: " + r.status);
            }
            r.callsPerPhase.forEach((phase, n) -> {
                int[] s = perPhase.computeIfAbsent(phase, k -> new int[] {Integer.MAX_VALUE, 0, 0});
                s[0] = Math.min(s[0], n);
                s[1] = Math.max(s[1], n);
                s[2] += n;
            });
            BuildRecord rec = r.machine.record();
            stopDelays.add(seconds(aws.fakeEc2(REGION).stoppedAt(rec.instanceId()), r.stopNoticed));
            imageDelays.add(seconds(aws.fakeEc2(REGION).availableAt(rec.imageIds().get(REGION)), r.imageNoticed));
            copyDelays.add(seconds(aws.fakeEc2(COPY_REGION).availableAt(rec.imageIds().get(COPY_REGION)), r.copyNoticed));
        }
        Duration shortest = runs.stream().map(r -> Duration.between(r.started, r.finished)).min(Duration::compareTo).orElseThrow();
        Duration longest = runs.stream().map(r -> Duration.between(r.started, r.finished)).max(Duration::compareTo).orElseThrow();
        System.out.printf("%d simulated builds (seed %d), %s: build instance customising 15-25 min, image 4-8 min, copy to a "
                + "second region 6-14 min; simulated duration %s to %s.%n%n", builds, seed,
                concurrent > 0 ? "all at once in one process" : "one after the other, each alone",
                minutes(shortest), minutes(longest));
        System.out.println("| phase | AWS calls per build, min | avg | max |");
        System.out.println("|---|---|---|---|");
        perPhase.forEach((phase, s) -> System.out.printf("| %s | %d | %.1f | %d |%n", phase, s[0], s[2] / (double) builds, s[1]));
        System.out.printf("| **total** | %d | %.1f | %d |%n%n", runs.stream().mapToInt(Run::calls).min().orElseThrow(),
                runs.stream().mapToInt(Run::calls).average().orElseThrow(), runs.stream().mapToInt(Run::calls).max().orElseThrow());

        System.out.println("| calls per second, region | average over the run | busiest minute |");
        System.out.println("|---|---|---|");
        for (String region : List.of(REGION, COPY_REGION)) {
            double average = 0;
            double peak = 0;
            for (FakeAws aws : worlds) {
                List<FakeAws.Call> calls = aws.timeline.stream().filter(c -> c.region().equals(region)).toList();
                if (calls.isEmpty()) {
                    continue;
                }
                long span = Math.max(1, Duration.between(calls.get(0).at(), calls.get(calls.size() - 1).at()).getSeconds());
                average = Math.max(average, calls.size() / (double) span);
                peak = Math.max(peak, busiestMinute(calls) / 60.0);
            }
            System.out.printf("| %s | %.2f | %.2f |%n", region, average, peak);
        }
        System.out.println();
        System.out.println("| noticed after (simulated seconds) | min | avg | max |");
        System.out.println("|---|---|---|---|");
        row("the instance stopped", stopDelays);
        row("the image became available", imageDelays);
        row("the copy became available", copyDelays);
    }

    /** The most calls in any 60 seconds. */
    private static int busiestMinute(List<FakeAws.Call> calls) {
        int best = 0;
        int from = 0;
        for (int to = 0; to < calls.size(); to++) {
            while (!calls.get(from).at().plusSeconds(60).isAfter(calls.get(to).at())) {
                from++;
            }
            best = Math.max(best, to - from + 1);
        }
        return best;
    }

    private static long seconds(Instant happened, Instant noticed) {
        if (happened == null || noticed == null || noticed.isBefore(happened)) {
            throw new IllegalStateException("noticed at " + noticed + ", before it happened at " + happened);
        }
        return Duration.between(happened, noticed).getSeconds();
    }

    private static void row(String what, List<Long> delays) {
        System.out.printf("| %s | %d | %.1f | %d |%n", what, delays.stream().mapToLong(Long::longValue).min().orElseThrow(),
                delays.stream().mapToLong(Long::longValue).average().orElseThrow(),
                delays.stream().mapToLong(Long::longValue).max().orElseThrow());
    }

    private static String minutes(Duration d) {
        return String.format("%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }
}
