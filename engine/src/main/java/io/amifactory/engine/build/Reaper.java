package io.amifactory.engine.build;

import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.progress.ProgressListener;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Terminates orphaned build instances: those tagged {@code amifactory:role=build-instance} whose
 * {@code amifactory:expires} has passed (their build died and nobody resumed it). Instances without a
 * readable expiry are reported and left alone; nothing else is ever touched.
 */
public final class Reaper {
    /** What happened to one build instance. */
    public enum Action { TERMINATED, WOULD_TERMINATE, KEPT, SKIPPED, FAILED }

    public record Reaped(String region, String instanceId, String buildId, String state, String expires, Action action,
            String detail) {
    }

    private final ClientSource clients;
    private final Clock clock;
    private final ProgressListener progress;

    public Reaper(ClientSource clients, Clock clock, ProgressListener progress) {
        this.clients = clients;
        this.clock = clock;
        this.progress = progress == null ? ProgressListener.NONE : progress;
    }

    public List<Reaped> reap(List<String> regions, boolean dryRun) {
        List<Reaped> out = new ArrayList<>();
        for (String region : regions) {
            out.addAll(reapRegion(region, dryRun));
        }
        return out;
    }

    private List<Reaped> reapRegion(String region, boolean dryRun) {
        Ec2Client ec2 = clients.ec2(region);
        Instant now = clock.instant();
        List<Reaped> out = new ArrayList<>();
        List<Instance> expired = new ArrayList<>();
        ec2.describeInstancesPaginator(b -> b.filters(
                        Filter.builder().name("tag:" + Tags.ROLE).values(Tags.ROLE_BUILD_INSTANCE).build(),
                        Filter.builder().name("instance-state-name").values(Instances.LIVE).build()))
                .reservations().forEach(r -> r.instances().forEach(i -> {
                    String expires = tag(i, Tags.EXPIRES);
                    Instant at = parse(expires);
                    if (at == null) {
                        out.add(reaped(region, i, expires, Action.SKIPPED, "no readable " + Tags.EXPIRES + " tag; left alone"));
                    } else if (at.isAfter(now)) {
                        out.add(reaped(region, i, expires, Action.KEPT, "expires " + at));
                    } else {
                        expired.add(i);
                    }
                }));
        if (expired.isEmpty()) {
            return out;
        }
        List<String> ids = expired.stream().map(Instance::instanceId).toList();
        try {
            ec2.terminateInstances(b -> b.instanceIds(ids).dryRun(dryRun));
            for (Instance i : expired) {
                out.add(reaped(region, i, tag(i, Tags.EXPIRES), Action.TERMINATED, "expired"));
            }
        } catch (Ec2Exception e) {
            boolean allowed = dryRun && AwsErrors.hasCode(e, "DryRunOperation");
            for (Instance i : expired) {
                out.add(reaped(region, i, tag(i, Tags.EXPIRES), allowed ? Action.WOULD_TERMINATE : Action.FAILED,
                        allowed ? "expired (dry run: termination allowed)" : AwsErrors.describe(e)));
            }
        }
        for (Reaped r : out) {
            if (r.action() != Action.KEPT) {
                progress.info(region + " " + r.instanceId() + " (build " + r.buildId() + "): "
                        + r.action().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " - " + r.detail());
            }
        }
        return out;
    }

    private static Reaped reaped(String region, Instance i, String expires, Action action, String detail) {
        return new Reaped(region, i.instanceId(), tag(i, Tags.BUILD_ID), Instances.state(i), expires, action, detail);
    }

    private static String tag(Instance i, String key) {
        for (Tag t : i.tags()) {
            if (key.equals(t.key())) {
                return t.value();
            }
        }
        return null;
    }

    private static Instant parse(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
