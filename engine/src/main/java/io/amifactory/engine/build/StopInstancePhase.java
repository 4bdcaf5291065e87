package io.amifactory.engine.build;

import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Makes sure the instance is stopped before it is imaged, so that the file systems are consistent. A
 * userData build's instance has usually powered itself off already; an SSM build's is stopped here. With
 * {@code image.noReboot} the running instance is imaged as it is.
 */
final class StopInstancePhase implements Phase {
    @Override
    public String name() {
        return "stop";
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildRecord r = ctx.record();
        if (ctx.spec().image().noReboot()) {
            return PhaseResult.done();
        }
        Instance instance = ctx.instance();
        String state = Instances.state(instance);
        if (state == null || Instances.GONE.contains(state)) {
            return PhaseResult.fail("the build instance " + r.instanceId + " was terminated before it could be imaged");
        }
        switch (state) {
            case "stopped" -> {
                return PhaseResult.done();
            }
            case "running" -> {
                if (!r.stopRequested) {
                    ctx.ec2().stopInstances(b -> b.instanceIds(r.instanceId));
                    r.stopRequested = true;
                    ctx.info("stopping " + r.instanceId + " before imaging it");
                }
                return ctx.pollAtTick();
            }
            default -> {
                return ctx.pollAtTick();
            }
        }
    }
}
