package io.amifactory.engine.build;

import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.build.spec.BuildSpec;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * A dry run's last phase: says what the build would do and asks EC2, with DryRun=true, whether the
 * launch and the copies would be allowed. Creates nothing. Problems fail the dry run.
 */
final class DryRunPhase implements Phase {
    @Override
    public String name() {
        return "dry-run";
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildSpec spec = ctx.spec();
        BuildRecord r = ctx.record();
        List<String> problems = new ArrayList<>();
        BuildSpec.Customisation c = spec.customisation();
        if (c instanceof BuildSpec.Automation a) {
            ctx.info("would run the automation document " + a.document() + " from " + r.source.imageId());
        } else {
            BuildSpec.Instance inst = spec.instance();
            ctx.info("would launch a " + LaunchRequest.instanceType(ctx) + " from " + r.source.imageId() + " in " + r.region
                    + (inst.subnet() != null ? ", subnet " + inst.subnet() : ", default subnet")
                    + (inst.securityGroups().isEmpty() ? "" : ", security groups " + String.join(" ", inst.securityGroups()))
                    + (inst.profile() != null ? ", profile " + inst.profile() : "")
                    + ", IMDSv2 " + (inst.imdsV2Required() ? "required" : "optional"));
            ctx.info("would customise it with " + c.describe());
            check(ctx, "RunInstances in " + r.region, () -> ctx.ec2().runInstances(LaunchRequest.build(ctx, true)), problems);
            ctx.info("would create the image '" + r.imageName + "'" + (spec.image().encrypted()
                    ? " encrypted" + (spec.image().kmsKey() != null ? " with " + spec.image().kmsKey() : "") : ""));
        }
        for (BuildSpec.Copy copy : spec.copies()) {
            ctx.info("would copy it to " + copy.region() + (copy.kmsKey() != null ? " (key " + copy.kmsKey() + ")" : ""));
            // The source AMI stands in for the image that does not exist yet: the permission is the same.
            check(ctx, "CopyImage to " + copy.region(), () -> ctx.ec2(copy.region()).copyImage(b -> b
                    .sourceRegion(r.region).sourceImageId(r.source.imageId()).name(r.imageName).dryRun(true)), problems);
        }
        if (spec.image().deprecateAfter() != null) {
            ctx.info("would deprecate it after " + io.amifactory.engine.build.spec.SpecDurations.format(
                    spec.image().deprecateAfter()));
        }
        if (!spec.share().isEmpty()) {
            ctx.info("would share it with " + SharePhase.describe(spec.share()));
        }
        for (String template : spec.publish()) {
            for (String region : spec.regions()) {
                ctx.info("would publish its id to " + ctx.render(template, region) + " in " + region);
            }
        }
        if (!problems.isEmpty()) {
            return PhaseResult.fail("the dry run found problems: " + String.join("; ", problems));
        }
        return PhaseResult.done();
    }

    private static void check(BuildContext ctx, String what, Runnable call, List<String> problems) {
        try {
            call.run();
            problems.add(what + ": EC2 did not treat the request as a dry run");
        } catch (Ec2Exception e) {
            if (AwsErrors.hasCode(e, "DryRunOperation")) {
                ctx.info(what + ": allowed (EC2 dry run)");
            } else {
                problems.add(what + ": " + AwsErrors.describe(e));
            }
        }
    }
}
