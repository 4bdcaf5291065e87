package io.amifactory.engine.build;

import io.amifactory.engine.Tags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The tags a build puts on what it creates (design.md, "Conventions"): the build id on everything, role and
 * expiry on the build instance, provenance on AMIs; the user's tags (rendered) next to them. The factory's
 * own tags win over a user's tag of the same key.
 */
final class BuildTags {
    private BuildTags() {
    }

    static Map<String, String> instance(BuildContext ctx) {
        BuildRecord r = ctx.record();
        Map<String, String> t = new LinkedHashMap<>();
        t.put("Name", "amifactory build " + r.name);
        t.putAll(rendered(ctx, ctx.spec().instance().tags(), r.region));
        t.put(Tags.BUILD_ID, r.buildId);
        t.put(Tags.ROLE, Tags.ROLE_BUILD_INSTANCE);
        t.put(Tags.EXPIRES, r.expiresAt().toString());
        return t;
    }

    static Map<String, String> buildIdOnly(BuildContext ctx) {
        return Map.of(Tags.BUILD_ID, ctx.record().buildId);
    }

    static Map<String, String> image(BuildContext ctx, String region) {
        BuildRecord r = ctx.record();
        Map<String, String> t = new LinkedHashMap<>(rendered(ctx, ctx.spec().image().tags(), region));
        t.put(Tags.BUILD_ID, r.buildId);
        t.put(Tags.SOURCE_IMAGE, r.source.imageId());
        if (r.source.trackedImage() != null) {
            t.put(Tags.TRACKED_IMAGE, r.source.trackedImage());
        }
        t.put(Tags.BUILT_BY, r.builtBy);
        return t;
    }

    static Map<String, String> snapshot(BuildContext ctx, String region) {
        Map<String, String> t = new LinkedHashMap<>(rendered(ctx, ctx.spec().image().snapshotTags(), region));
        t.put(Tags.BUILD_ID, ctx.record().buildId);
        return t;
    }

    static Map<String, String> parameter(BuildContext ctx) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(Tags.PUBLISHED_BY, ctx.record().name);
        t.put(Tags.BUILD_ID, ctx.record().buildId);
        return t;
    }

    static List<Tag> ec2(Map<String, String> tags) {
        List<Tag> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        return out;
    }

    static TagSpecification spec(ResourceType type, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(type).tags(ec2(tags)).build();
    }

    /** The filter that finds what this build created. */
    static Filter byBuild(String buildId) {
        return Filter.builder().name("tag:" + Tags.BUILD_ID).values(buildId).build();
    }

    private static Map<String, String> rendered(BuildContext ctx, Map<String, String> tags, String region) {
        Map<String, String> out = new LinkedHashMap<>();
        tags.forEach((k, v) -> out.put(k, truncate(ctx.render(v, region))));
        return out;
    }

    private static String truncate(String v) {
        return v.length() <= 256 ? v : v.substring(0, 256);
    }
}
