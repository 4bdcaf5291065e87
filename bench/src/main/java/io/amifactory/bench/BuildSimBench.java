package io.amifactory.bench;

import io.amifactory.engine.build.BuildMachine;
import io.amifactory.engine.build.BuildRecord;
import io.amifactory.engine.build.BuildResult;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A simulated build of about 30 minutes on the build engine's fake AWS and fake clock (engine test sources):
 * how many AWS calls each phase makes, and how long after the instance really stopped, the image really
 * became available and the copy really became available the build machine noticed. The completion times
 * vary from build to build (customisation, image and copy times drawn at random), so the detection latency
 * is measured against where each event falls in the machine's poll back-off, not at one lucky point.
 *
 * <p>The spec is the engine tests' "everything" build: user data with the completion marker, one copy,
 * sharing with snapshots, publishing, deprecation. Options: {@code --builds N --seed S}.
 */
final class BuildSimBench {
    private static final String REGION = "eu-west-1";
    private static final String COPY_REGION = "us-east-1";
    private static final String SOURCE = "ami-0a1b2c3d4e5f60718";
    private static final String SPEC = """
            name: web
            imageName: "web-{timestamp}"
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

    /** One simulated build: calls per phase, detection delays (seconds) and the simulated duration. */
    private record Run(Map<String, Integer> callsPerPhase, int calls, long stopDelay, long imageDelay, long copyDelay,
            Duration duration, BuildStatus status) {
    }

    static void run(String[] args) {
        Map<String, String> opts = Options.parse(args);
        int builds = Integer.parseInt(opts.getOrDefault("builds", "20"));
        long seed = Long.parseLong(opts.getOrDefault("seed", "1"));
        Random random = new Random(seed);
        BuildSpec spec = new BuildSpecReader(REGION).readOne(InputNode.parse("spec.yaml", SPEC), null);

        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < builds; i++) {
            FakeClock clock = new FakeClock();
            FakeAws aws = new FakeAws(clock);
            aws.fakeEc2(REGION).addSourceImage(SOURCE, "al2023-ami-2023.6.20260220.0-kernel-6.1-x86_64", "x86_64", null);
            // about 30 minutes in all: customisation 15-25 min, image 4-8 min, copy 6-14 min, any second
            aws.customisationTime = Duration.ofSeconds(900 + random.nextInt(601));
            aws.imageTime = Duration.ofSeconds(240 + random.nextInt(241));
            aws.copyTime = Duration.ofSeconds(360 + random.nextInt(481));
            aws.bootTime = Duration.ofSeconds(15 + random.nextInt(31));
            aws.stopTime = Duration.ofSeconds(20 + random.nextInt(41));
            runs.add(simulate(spec, aws, clock));
        }

        Map<String, int[]> perPhase = new LinkedHashMap<>();
        for (Run r : runs) {
            if (r.status() != BuildStatus.SUCCEEDED) {
                throw new IllegalStateException("a simulated build did not succeed: " + r);
            }
            r.callsPerPhase().forEach((phase, n) -> {
                int[] s = perPhase.computeIfAbsent(phase, k -> new int[] {Integer.MAX_VALUE, 0, 0});
                s[0] = Math.min(s[0], n);
                s[1] = Math.max(s[1], n);
                s[2] += n;
            });
        }
        System.out.printf("%d simulated builds (seed %d): build instance customising 15-25 min, image 4-8 min, copy to a "
                + "second region 6-14 min; simulated duration %s to %s.%n%n", builds, seed,
                minutes(runs.stream().map(Run::duration).min(Duration::compareTo).orElseThrow()),
                minutes(runs.stream().map(Run::duration).max(Duration::compareTo).orElseThrow()));
        System.out.println("| phase | AWS calls, min | avg | max |");
        System.out.println("|---|---|---|---|");
        perPhase.forEach((phase, s) -> System.out.printf("| %s | %d | %.1f | %d |%n", phase, s[0], s[2] / (double) builds, s[1]));
        System.out.printf("| **total** | %d | %.1f | %d |%n%n", runs.stream().mapToInt(Run::calls).min().orElseThrow(),
                runs.stream().mapToInt(Run::calls).average().orElseThrow(), runs.stream().mapToInt(Run::calls).max().orElseThrow());
        System.out.println("| noticed after (simulated seconds) | min | avg | max |");
        System.out.println("|---|---|---|---|");
        row("the instance stopped", runs.stream().mapToLong(Run::stopDelay).toArray());
        row("the image became available", runs.stream().mapToLong(Run::imageDelay).toArray());
        row("the copy became available", runs.stream().mapToLong(Run::copyDelay).toArray());
    }

    private static Run simulate(BuildSpec spec, FakeAws aws, FakeClock clock) {
        BuildMachine m = new BuildMachine(spec, BuildRecord.start(spec, "bench", clock), BuildServices.of(aws, null),
                ProgressListener.NONE, clock);
        Instant start = clock.instant();
        Map<String, Integer> perPhase = new LinkedHashMap<>();
        Instant launched = null;
        Instant imageCreated = null;
        Instant copyStarted = null;
        Instant stopNoticed = null;
        Instant imageNoticed = null;
        Instant copyNoticed = null;
        Step s;
        do {
            BuildRecord before = m.record();
            String phase = before.isFinished() || before.state() != BuildRecord.State.RUNNING ? "cleanup and finish"
                    : before.currentPhase();
            Instant now = clock.instant();
            int callsBefore = aws.callCount();
            s = m.step();
            perPhase.merge(phase, aws.callCount() - callsBefore, Integer::sum);
            BuildRecord after = m.record();
            if (launched == null && after.instanceId() != null) {
                launched = now;
            }
            if (imageCreated == null && after.imageIds().containsKey(REGION)) {
                imageCreated = now;
            }
            if (copyStarted == null && after.imageIds().containsKey(COPY_REGION)) {
                copyStarted = now;
            }
            String next = after.state() == BuildRecord.State.RUNNING ? after.currentPhase() : "";
            if (!phase.equals(next)) {
                // the step in which a waiting phase finished is when the machine noticed what it waited for
                switch (phase) {
                    case "stop" -> stopNoticed = now;
                    case "wait-image" -> imageNoticed = now;
                    case "copy" -> copyNoticed = now;
                    default -> { }
                }
            }
            if (!s.isDone()) {
                clock.advance(s.pollAfter());
            }
        } while (!s.isDone());
        BuildResult result = s.result();
        Instant stopped = launched.plus(aws.bootTime).plus(aws.customisationTime).plus(aws.stopTime);
        Instant available = imageCreated.plus(aws.imageTime);
        Instant copied = copyStarted.plus(aws.copyTime);
        int calls = perPhase.values().stream().mapToInt(Integer::intValue).sum();
        return new Run(perPhase, calls, seconds(stopped, stopNoticed), seconds(available, imageNoticed),
                seconds(copied, copyNoticed), Duration.between(start, clock.instant()), result.status());
    }

    private static long seconds(Instant happened, Instant noticed) {
        if (noticed == null || noticed.isBefore(happened)) {
            throw new IllegalStateException("noticed at " + noticed + ", before it happened at " + happened);
        }
        return Duration.between(happened, noticed).getSeconds();
    }

    private static void row(String what, long[] delays) {
        long min = Long.MAX_VALUE;
        long max = 0;
        long sum = 0;
        for (long d : delays) {
            min = Math.min(min, d);
            max = Math.max(max, d);
            sum += d;
        }
        System.out.printf("| %s | %d | %.1f | %d |%n", what, min, sum / (double) delays.length, max);
    }

    private static String minutes(Duration d) {
        return String.format("%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }
}
