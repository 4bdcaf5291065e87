package io.amifactory.engine.build;

import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.build.spec.Placeholders;
import io.amifactory.engine.progress.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ssm.SsmClient;

/** What a phase sees: the spec, the record, clients, the clock, progress, and the polling back-off. */
final class BuildContext {
    /** First poll after a change; polls then back off by half each time up to a cap. */
    static final Duration FIRST_POLL = Duration.ofSeconds(5);
    /** Cap for waits where a state change should be seen quickly (instance state, customisation). */
    static final Duration QUICK_CAP = Duration.ofSeconds(15);
    /** Cap for waits that take many minutes anyway (image creation, copies). */
    static final Duration SLOW_CAP = Duration.ofSeconds(30);

    private final BuildSpec spec;
    private final BuildRecord record;
    private final BuildServices services;
    private final ProgressListener progress;
    private final Clock clock;
    private final Runnable save;
    private String label = "";

    BuildContext(BuildSpec spec, BuildRecord record, BuildServices services, ProgressListener progress, Clock clock,
            Runnable save) {
        this.spec = spec;
        this.record = record;
        this.services = services;
        this.progress = progress;
        this.clock = clock;
        this.save = save;
    }

    BuildSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("this build is being cleaned up without its spec");
        }
        return spec;
    }

    BuildRecord record() {
        return record;
    }

    BuildServices services() {
        return services;
    }

    Ec2Client ec2(String region) {
        return services.clients().ec2(region);
    }

    SsmClient ssm(String region) {
        return services.clients().ssm(region);
    }

    Ec2Client ec2() {
        return ec2(record.region);
    }

    SsmClient ssm() {
        return ssm(record.region);
    }

    Instant now() {
        return clock.instant();
    }

    /** True while the build's cleanups run for a build that did not succeed: undo what it made. */
    boolean failed() {
        return record.outcome != null && !record.outcome.keepsImages();
    }

    /** Saves the record now: before a call that creates something, so that a crash leaves a trace. */
    void save() {
        save.run();
    }

    // ---- polling

    /**
     * The build instance as of the current {@linkplain SharedPolls tick}, read afresh at a phase's first look;
     * null when EC2 does not list it.
     */
    Instance instance() {
        return services.polls().instance(ec2(), record.region, record.instanceId, now(), record.polls == 0);
    }

    /** An image as of the current tick (afresh at a phase's first look); null when EC2 does not list it. */
    Image image(String region, String imageId) {
        return services.polls().image(ec2(region), region, imageId, now(), record.polls == 0);
    }

    /** Look again at the next shared tick: within 15 s, in step with every other build of the process. */
    PhaseResult pollAtTick() {
        return PhaseResult.pollAfter(SharedPolls.untilNextTick(now()));
    }

    PhaseResult poll() {
        return PhaseResult.pollAfter(backoff(QUICK_CAP));
    }

    /** 5 s, 7.5 s, 11 s, ... up to the cap, counted from the phase's (or cleanup's) first poll. */
    Duration backoff(Duration cap) {
        double ms = FIRST_POLL.toMillis() * Math.pow(1.5, Math.min(record.polls, 20));
        return Duration.ofMillis((long) Math.min(ms, cap.toMillis()));
    }

    // ---- templates

    /** Placeholder values for this build: identity, start time, source (once resolved), image name. */
    Map<String, String> values(String region) {
        Map<String, String> v = Placeholders.values(record.name, region, record.buildId, record.startedAt());
        if (record.source != null) {
            v = Placeholders.withSource(v, record.source.imageId(), record.source.name(), record.source.created(),
                    record.source.trackedImage());
        }
        if (record.imageName != null) {
            v = new LinkedHashMap<>(v);
            v.put(Placeholders.IMAGE_NAME, record.imageName);
        }
        return v;
    }

    String render(String template) {
        return Placeholders.render(template, values(record.region));
    }

    String render(String template, String region) {
        return Placeholders.render(template, values(region));
    }

    // ---- progress

    void label(String label) {
        this.label = label;
    }

    void info(String message) {
        progress.info(prefix() + message);
    }

    /** A warning goes to progress and into the result. */
    void warn(String message) {
        record.warnings.add(message);
        progress.warn(prefix() + message);
    }

    /** Progress for engines a phase calls (sharing): their warnings are kept in the result like the build's own. */
    ProgressListener asProgress() {
        return new ProgressListener() {
            @Override
            public void info(String line) {
                BuildContext.this.info(line);
            }

            @Override
            public void warn(String line) {
                BuildContext.this.warn(line);
            }
        };
    }

    /** Lines the customisation printed: passed through as they are (the user's own output). */
    void output(String line) {
        progress.info(prefix() + "| " + line);
    }

    private String prefix() {
        return "[" + record.name + " " + elapsed() + (label.isEmpty() ? "" : " " + label) + "] ";
    }

    String elapsed() {
        long s = Math.max(0, Duration.between(record.startedAt(), now()).getSeconds());
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format("%02d:%02d", s / 60, s % 60);
    }
}
