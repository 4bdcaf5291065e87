package io.amifactory.engine.build;

import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.build.spec.SpecRules;

/**
 * Finds the source AMI and renders the image name and description. Read-only. A resumed build keeps the
 * source it resolved first, even if a newer one appeared meanwhile.
 */
final class ResolvePhase implements Phase {
    @Override
    public String name() {
        return "resolve";
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildRecord r = ctx.record();
        BuildSpec spec = ctx.spec();
        if (r.source == null) {
            ResolvedSource source = ctx.services().sources().resolve(spec.source(), r.region);
            r.source = source;
            ctx.info("source " + source.imageId() + " (" + source.name() + ", created " + source.creationDate()
                    + ") from " + source.resolvedFrom());
        }
        String name = ctx.render(spec.imageName());
        String problem = SpecRules.amiName(name);
        if (problem != null) {
            return PhaseResult.fail("imageName: " + problem);
        }
        r.imageName = name;
        String description = ctx.render(spec.image().description() != null ? spec.image().description()
                : BuildSpec.Image.DEFAULT_DESCRIPTION);
        if (description.length() > SpecRules.AMI_DESCRIPTION_MAX) {
            if (spec.image().description() != null) {
                return PhaseResult.fail("image.description: the description has " + description.length()
                        + " characters; EC2 takes at most " + SpecRules.AMI_DESCRIPTION_MAX);
            }
            description = description.substring(0, SpecRules.AMI_DESCRIPTION_MAX);
        }
        r.imageDescription = description;
        ctx.info("the new AMI will be named '" + name + "'");
        return PhaseResult.done();
    }
}
