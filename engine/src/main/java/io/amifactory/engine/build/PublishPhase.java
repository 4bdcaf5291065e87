package io.amifactory.engine.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.ResourceTypeForTagging;
import software.amazon.awssdk.services.ssm.model.Tag;

/**
 * Writes the new AMI id to the spec's SSM parameters, in every region, as {@code aws:ec2:image} parameters.
 * What each parameter held before is recorded first; if the build fails afterwards, its cleanup puts the
 * old value back (or deletes a parameter the build created), so consumers never see a deleted AMI.
 */
final class PublishPhase implements Phase {
    static final String AMI_DATA_TYPE = "aws:ec2:image";

    @Override
    public String name() {
        return "publish";
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildRecord r = ctx.record();
        for (Map.Entry<String, BuildRecord.RegionImage> e : r.images.entrySet()) {
            String region = e.getKey();
            String imageId = e.getValue().imageId;
            SsmClient ssm = ctx.ssm(region);
            for (String template : ctx.spec().publish()) {
                String path = ctx.render(template, region);
                String key = region + " " + path;
                BuildRecord.PublishedParameter p = r.published.get(key);
                if (p == null) {
                    p = new BuildRecord.PublishedParameter();
                    p.region = region;
                    p.path = path;
                    try {
                        Parameter old = ssm.getParameter(b -> b.name(path)).parameter();
                        p.existed = true;
                        p.previousValue = old.value();
                        p.previousDataType = old.dataType();
                    } catch (ParameterNotFoundException notThere) {
                        p.existed = false;
                    }
                    r.published.put(key, p);
                    ctx.save();
                }
                if (p.written) {
                    continue;
                }
                ssm.putParameter(b -> b.name(path).value(imageId).type(ParameterType.STRING).dataType(AMI_DATA_TYPE)
                        .overwrite(true).description("Newest AMI of " + r.name + ", written by AMI Factory"));
                List<Tag> tags = new ArrayList<>();
                BuildTags.parameter(ctx).forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
                ssm.addTagsToResource(b -> b.resourceType(ResourceTypeForTagging.PARAMETER).resourceId(path).tags(tags));
                p.written = true;
                ctx.save();
                ctx.info("published " + imageId + " to " + path + " in " + region
                        + (p.existed ? " (was " + p.previousValue + ")" : ""));
            }
        }
        return PhaseResult.done();
    }

    @Override
    public PhaseResult cleanup(BuildContext ctx) {
        if (!ctx.failed()) {
            return PhaseResult.done();
        }
        for (BuildRecord.PublishedParameter p : ctx.record().published.values()) {
            if (p.restored) {
                continue;
            }
            SsmClient ssm = ctx.ssm(p.region);
            if (p.existed) {
                ssm.putParameter(b -> b.name(p.path).value(p.previousValue).type(ParameterType.STRING)
                        .dataType(p.previousDataType == null ? "text" : p.previousDataType).overwrite(true));
                ctx.info("restored " + p.path + " in " + p.region + " to " + p.previousValue);
            } else {
                try {
                    ssm.deleteParameter(b -> b.name(p.path));
                    ctx.info("deleted " + p.path + " in " + p.region);
                } catch (software.amazon.awssdk.services.ssm.model.ParameterNotFoundException gone) {
                    // never written
                }
            }
            p.restored = true;
            ctx.save();
        }
        return PhaseResult.done();
    }

    @Override
    public List<String> leftovers(BuildContext ctx) {
        List<String> out = new ArrayList<>();
        for (BuildRecord.PublishedParameter p : ctx.record().published.values()) {
            if (!p.restored) {
                out.add("SSM parameter " + p.path + " in " + p.region + " (should be "
                        + (p.existed ? p.previousValue : "deleted") + ")");
            }
        }
        return out;
    }
}
