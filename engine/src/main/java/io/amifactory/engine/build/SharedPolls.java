package io.amifactory.engine.build;

import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.aws.ClientSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * What every build of a process waits for — build instances' states, images' states — read with one
 * DescribeInstances and one DescribeImages per region per tick for all builds together, instead of one call
 * per build per poll. Waiting phases poll on a common grid of {@link #TICK ticks} ({@link #untilNextTick}); the
 * first build that asks at a tick reads every instance (or image) the builds of the region asked about lately,
 * the others get that answer. So a change is seen at most one tick after it happened, however many builds
 * wait, and the calls per region per tick stay at one.
 *
 * <p>Nothing here blocks or runs in the background: a build that asks when the answer is older than the
 * current tick makes the call itself, within its own {@link BuildMachine#step()}. One instance per
 * {@link ClientSource} ({@link #of}): builds that share clients (and so credentials) share polls.
 */
public final class SharedPolls {
    /** Every wait is noticed within one tick: the 15 s the build engine promises (docs/building.md). */
    static final Duration TICK = Duration.ofSeconds(15);
    /** An id no build asked about for this long is no longer read. */
    static final Duration FORGET_AFTER = TICK.multipliedBy(4);
    /** Filter values per call: EC2 refuses more than 200 in one call; half leaves room. */
    static final int IDS_PER_CALL = 100;

    private static final Map<ClientSource, SharedPolls> BY_CLIENTS = new WeakHashMap<>();

    // No reference to the clients here: the registry's keys are weak, and a value that held its key would keep
    // it (and these boards) forever.
    private final Map<String, Board<Instance>> instances = new HashMap<>();
    private final Map<String, Board<Image>> images = new HashMap<>();

    private SharedPolls() {
    }

    /** The polls shared by every build that uses these clients. */
    public static SharedPolls of(ClientSource clients) {
        Objects.requireNonNull(clients, "clients");
        synchronized (BY_CLIENTS) {
            return BY_CLIENTS.computeIfAbsent(clients, c -> new SharedPolls());
        }
    }

    /** How long from {@code now} to the next tick (a full tick when {@code now} is one). */
    public static Duration untilNextTick(Instant now) {
        long tickMillis = TICK.toMillis();
        long ms = now.toEpochMilli();
        return Duration.ofMillis(tickMillis - Math.floorMod(ms, tickMillis));
    }

    /**
     * The instance as of this tick, or null when EC2 does not list it (not yet visible after launch, or long
     * gone). {@code current}: read it now unless it was read at this very instant — for a phase's first look,
     * which acts on what it sees.
     */
    Instance instance(Ec2Client ec2, String region, String instanceId, Instant now, boolean current) {
        return board(instances, region, SharedPolls::readInstances).get(ec2, instanceId, now, current);
    }

    /** The image as of this tick, or null when EC2 does not list it; {@code current} as for instances. */
    Image image(Ec2Client ec2, String region, String imageId, Instant now, boolean current) {
        return board(images, region, SharedPolls::readImages).get(ec2, imageId, now, current);
    }

    private static <T> Board<T> board(Map<String, Board<T>> boards, String region,
            BiFunction<Ec2Client, List<String>, Map<String, T>> read) {
        synchronized (boards) {
            return boards.computeIfAbsent(region, r -> new Board<>(read));
        }
    }

    /** What one region's last read said about the ids builds asked for, and when. */
    private static final class Board<T> {
        private final BiFunction<Ec2Client, List<String>, Map<String, T>> read;
        private final Map<String, Instant> askedAt = new LinkedHashMap<>();
        private Set<String> idsRead = Set.of();
        private Map<String, T> seen = Map.of();
        private Instant readAt;
        private RuntimeException failure;
        private Instant failedAt;

        Board(BiFunction<Ec2Client, List<String>, Map<String, T>> read) {
            this.read = read;
        }

        synchronized T get(Ec2Client ec2, String id, Instant now, boolean current) {
            askedAt.put(id, now);
            Instant since = current ? now : tickStart(now);
            if (readAt != null && idsRead.contains(id) && !readAt.isBefore(since)) {
                return seen.get(id);
            }
            if (failedAt != null && !failedAt.isBefore(since)) {
                // the read of this tick failed (throttled, say): every build backs off, not one call each
                throw failure;
            }
            askedAt.values().removeIf(at -> at.isBefore(now.minus(FORGET_AFTER)));
            List<String> ids = new ArrayList<>(askedAt.keySet());
            Map<String, T> found = new HashMap<>();
            try {
                for (int i = 0; i < ids.size(); i += IDS_PER_CALL) {
                    found.putAll(read.apply(ec2, ids.subList(i, Math.min(ids.size(), i + IDS_PER_CALL))));
                }
            } catch (RuntimeException e) {
                // An interrupt of this build's thread is no answer for the other builds: they read for themselves.
                if (!AwsErrors.isInterruption(e)) {
                    failure = e;
                    failedAt = now;
                }
                throw e;
            }
            seen = found;
            idsRead = new HashSet<>(ids);
            readAt = now;
            return seen.get(id);
        }

        private static Instant tickStart(Instant now) {
            return now.minus(TICK).plus(untilNextTick(now));
        }
    }

    // A filter, not InstanceIds/ImageIds: one id EC2 does not know yet (just launched) must not fail the
    // call for every other build.

    private static Map<String, Instance> readInstances(Ec2Client ec2, List<String> ids) {
        Map<String, Instance> out = new HashMap<>();
        ec2.describeInstancesPaginator(b -> b.filters(Filter.builder().name("instance-id").values(ids).build()))
                .reservations().forEach(r -> r.instances().forEach(i -> out.put(i.instanceId(), i)));
        return out;
    }

    private static Map<String, Image> readImages(Ec2Client ec2, List<String> ids) {
        Map<String, Image> out = new HashMap<>();
        ec2.describeImagesPaginator(b -> b.filters(Filter.builder().name("image-id").values(ids).build())
                .includeDeprecated(true)).images().forEach(i -> out.put(i.imageId(), i));
        return out;
    }
}
