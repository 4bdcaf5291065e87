package io.amifactory.engine.build;

import io.amifactory.engine.Tags;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.build.spec.SpecRules;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * The checks that need AWS but change nothing, so that a build that cannot work fails before it launches
 * anything: the source fits the customisation, the root volume is big enough, the AMI name is free in every
 * region, the automation document takes the parameters, the parameter paths are valid.
 */
final class PreflightPhase implements Phase {
    @Override
    public String name() {
        return "preflight";
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildSpec spec = ctx.spec();
        BuildRecord r = ctx.record();
        ResolvedSource source = r.source;
        BuildSpec.Customisation c = spec.customisation();

        if ((c instanceof BuildSpec.UserData || c instanceof BuildSpec.BootstrapUrl) && source.isWindows()) {
            return PhaseResult.fail("source: " + source.imageId() + " is a Windows image; userData and bootstrapUrl "
                    + "builds wrap a bash script. Use ssmCommand with document AWS-RunPowerShellScript");
        }
        if (c instanceof BuildSpec.SsmCommand cmd && source.isWindows()
                && cmd.document().equals(BuildSpec.SsmCommand.LINUX_DOCUMENT)) {
            return PhaseResult.fail("ssmCommand.document: " + source.imageId() + " is a Windows image; use "
                    + BuildSpec.SsmCommand.WINDOWS_DOCUMENT);
        }
        Integer size = spec.instance().rootVolumeSize();
        if (size != null && source.rootVolumeSize() != null && size < source.rootVolumeSize()) {
            return PhaseResult.fail("instance.rootVolume.size: " + size + " GiB is smaller than the source's root "
                    + "snapshot (" + source.rootVolumeSize() + " GiB)");
        }
        if (size != null && source.rootDeviceName() == null) {
            return PhaseResult.fail("instance.rootVolume: the source " + source.imageId() + " names no root device");
        }
        for (String template : spec.publish()) {
            for (String region : spec.regions()) {
                String path = ctx.render(template, region);
                String problem = SpecRules.parameterPath(path);
                if (problem != null) {
                    return PhaseResult.fail("publish: " + problem);
                }
            }
        }
        if (c instanceof BuildSpec.Automation automation) {
            AutomationPhase.Plan plan = AutomationPhase.plan(ctx, automation);
            if (plan.problem() != null) {
                return PhaseResult.fail(plan.problem());
            }
            if (!plan.namesImage()) {
                return PhaseResult.done(); // the document picks the name; nothing to check
            }
        }
        for (String region : spec.regions()) {
            List<Image> taken = ctx.ec2(region).describeImages(b -> b.owners("self")
                    .filters(Filter.builder().name("name").values(r.imageName).build()).includeDeprecated(true)).images();
            for (Image image : taken) {
                boolean ours = image.tags().stream().anyMatch(t -> t.key().equals(Tags.BUILD_ID)
                        && t.value().equals(r.buildId));
                if (!ours) {
                    return PhaseResult.fail("imageName: an AMI named '" + r.imageName + "' already exists in " + region
                            + " (" + image.imageId() + "); AMI names are unique per region, add {timestamp} or {date}");
                }
            }
        }
        return PhaseResult.done();
    }
}
