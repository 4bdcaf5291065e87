package io.amifactory.engine.build;

import io.amifactory.engine.aws.AwsErrors;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;

/**
 * Launches the build instance. Its cleanup, which runs whatever the outcome, terminates it (and any instance
 * tagged with the build id: one launched just before a crash), waits until it is gone, and deletes volumes
 * of the build that outlived it.
 */
final class LaunchPhase implements Phase {
    @Override
    public String name() {
        return "launch";
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildRecord r = ctx.record();
        if (r.instanceId != null) {
            return PhaseResult.done();
        }
        Ec2Client ec2 = ctx.ec2();
        List<Instance> earlier = Instances.ofBuild(ec2, r.buildId, Instances.LIVE);
        if (!earlier.isEmpty()) {
            r.instanceId = earlier.get(0).instanceId();
            ctx.info("found " + r.instanceId + ", launched by an earlier attempt of this build");
            return PhaseResult.done();
        }
        RunInstancesResponse launched = ec2.runInstances(LaunchRequest.build(ctx, false));
        Instance instance = launched.instances().get(0);
        r.instanceId = instance.instanceId();
        ctx.save();
        String userData = ctx.spec().customisation().describe();
        ctx.info("launched " + r.instanceId + " (" + LaunchRequest.instanceType(ctx) + ") from " + r.source.imageId()
                + " in " + r.region + "; customisation: " + userData);
        return PhaseResult.done();
    }

    @Override
    public PhaseResult cleanup(BuildContext ctx) {
        BuildRecord r = ctx.record();
        Ec2Client ec2 = ctx.ec2();
        Set<String> live = new LinkedHashSet<>();
        boolean terminating = false;
        if (r.instanceId != null) {
            Instance mine = Instances.describe(ec2, r.instanceId);
            String state = Instances.state(mine);
            if (state != null && Instances.LIVE.contains(state)) {
                live.add(r.instanceId);
            } else if ("shutting-down".equals(state)) {
                terminating = true;
            }
        }
        for (Instance i : Instances.ofBuild(ec2, r.buildId, Instances.LIVE)) {
            live.add(i.instanceId());
        }
        if (!live.isEmpty()) {
            boolean allTerminated = false;
            try {
                allTerminated = ec2.terminateInstances(b -> b.instanceIds(live)).terminatingInstances().stream()
                        .allMatch(c -> c.currentState() != null && "terminated".equals(c.currentState().nameAsString()));
            } catch (Ec2Exception e) {
                if (!AwsErrors.isNotFound(e)) {
                    throw e;
                }
            }
            ctx.info("terminating " + String.join(", ", live));
            if (!allTerminated) {
                // Look again at once the first time (some EC2s terminate at once), then back off.
                return r.polls == 0 ? PhaseResult.pollAfter(java.time.Duration.ZERO) : ctx.poll();
            }
        } else if (terminating) {
            return ctx.poll(); // volumes are released once the instance is terminated
        }
        List<String> volumes = new ArrayList<>();
        ec2.describeVolumesPaginator(b -> b.filters(BuildTags.byBuild(r.buildId),
                software.amazon.awssdk.services.ec2.model.Filter.builder().name("status").values("available").build()))
                .volumes().forEach(v -> volumes.add(v.volumeId()));
        for (String v : volumes) {
            try {
                ec2.deleteVolume(b -> b.volumeId(v));
                ctx.info("deleted volume " + v + " left by the build instance");
            } catch (Ec2Exception e) {
                if (!AwsErrors.isNotFound(e)) {
                    throw e;
                }
            }
        }
        if (r.instanceId != null) {
            ctx.info("build instance " + r.instanceId + " terminated");
        }
        return PhaseResult.done();
    }

    @Override
    public List<String> leftovers(BuildContext ctx) {
        BuildRecord r = ctx.record();
        if (r.instanceId == null) {
            return List.of("instances tagged " + io.amifactory.engine.Tags.BUILD_ID + "=" + r.buildId + " in " + r.region
                    + " (amifactory reap terminates them after " + r.expiresAt + ")");
        }
        return List.of("instance " + r.instanceId + " in " + r.region + " (amifactory reap terminates it after "
                + r.expiresAt + ")");
    }
}
