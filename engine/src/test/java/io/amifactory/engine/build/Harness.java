package io.amifactory.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.build.spec.BuildSpecReader;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A fake AWS, a fake clock, a record store and a progress log: everything a build test needs. */
final class Harness {
    static final String REGION = "eu-west-1";
    static final String SOURCE = "ami-0a1b2c3d4e5f60718";
    static final String SOURCE_NAME = "al2023-ami-2023.6.20260220.0-kernel-6.1-x86_64";

    /** A build with everything: user data, a copy, sharing, publishing, deprecation. */
    static final String FULL = """
            name: web
            imageName: "web-{timestamp}"
            source: ami-0a1b2c3d4e5f60718
            userData: |
              #!/bin/bash
              echo s3cr3t-token > /etc/app-token
              dnf install -y nginx
            copies: [us-east-1]
            share:
              accounts: ["444455556666"]
              snapshots: true
            publish: /amifactory/{name}/latest
            image:
              tags: {team: platform, source: "{source.name}"}
              snapshotTags: {backup: "no"}
              deprecateAfter: 90d
            instance:
              tags: {cost-centre: "42"}
            """;

    final FakeClock clock = new FakeClock();
    final FakeAws aws = new FakeAws(clock);
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    final ProgressListener progress = new ProgressListener() {
        @Override
        public void info(String line) {
            lines.add(line);
        }
    };
    volatile String saved;
    final BuildRecordStore store = r -> saved = r.toJson();

    Harness() {
        aws.fakeEc2(REGION).addSourceImage(SOURCE, SOURCE_NAME, "x86_64", null);
    }

    static BuildSpec spec(String yaml) {
        return new BuildSpecReader(REGION).readOne(InputNode.parse("spec.yaml", yaml), null);
    }

    BuildServices services() {
        return BuildServices.of(aws, store);
    }

    BuildMachine machine(BuildSpec spec) {
        return new BuildMachine(spec, BuildRecord.start(spec, "cli", clock), services(), progress, clock);
    }

    BuildResult run(BuildSpec spec) {
        return BuildDriver.run(machine(spec), clock.sleeper());
    }

    BuildResult run(String yaml) {
        return run(spec(yaml));
    }

    BuildRecord savedRecord() {
        return BuildRecord.fromJson(saved);
    }

    String log() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Steps the machine (moving the clock as told) until the record satisfies {@code until}; fails if it ends first. */
    static void stepUntil(BuildMachine m, FakeClock clock, java.util.function.Predicate<BuildRecord> until) {
        for (int i = 0; i < 10_000; i++) {
            if (until.test(m.record())) {
                return;
            }
            Step s = m.step();
            if (s.isDone()) {
                throw new AssertionError("the build ended before the condition held: " + s.result());
            }
            clock.advance(s.pollAfter());
        }
        throw new AssertionError("the condition never held");
    }

    /** The bar for a build that did not succeed: nothing of it is left. */
    void assertNothingLeft() {
        assertEquals(List.of(), aws.liveInstances(), "instances left pending/running/stopping/stopped\n" + log());
        assertEquals(List.of(), aws.madeImages(), "images of a failed build left registered\n" + log());
        assertEquals(List.of(), aws.madeSnapshots(), "snapshots of a failed build left\n" + log());
    }
}
