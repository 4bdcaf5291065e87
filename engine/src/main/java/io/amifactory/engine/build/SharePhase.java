package io.amifactory.engine.build;

import io.amifactory.engine.build.spec.BuildSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Grants launch permissions on the image in every region. Nothing to undo on failure: a failed build's
 * images are deregistered by the cleanups of the phases that made them.
 */
final class SharePhase implements Phase {
    @Override
    public String name() {
        return "share";
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildRecord r = ctx.record();
        BuildSpec.Sharing sharing = ctx.spec().share();
        for (Map.Entry<String, BuildRecord.RegionImage> e : r.images.entrySet()) {
            BuildRecord.RegionImage image = e.getValue();
            if (image.shared || image.imageId == null) {
                continue;
            }
            ctx.services().sharer().share(e.getKey(), image.imageId, List.copyOf(image.snapshotIds), sharing, ctx.asProgress());
            image.shared = true;
            ctx.save();
            ctx.info("shared " + image.imageId + " in " + e.getKey() + " with " + describe(sharing));
        }
        return PhaseResult.done();
    }

    static String describe(BuildSpec.Sharing s) {
        List<String> parts = new ArrayList<>();
        if (!s.accounts().isEmpty()) {
            parts.add(s.accounts().size() + " account(s)" + (s.snapshots() ? " (snapshots too)" : ""));
        }
        if (!s.organizations().isEmpty()) {
            parts.add(s.organizations().size() + " organization(s)");
        }
        if (!s.organizationalUnits().isEmpty()) {
            parts.add(s.organizationalUnits().size() + " OU(s)");
        }
        return String.join(", ", parts);
    }
}
