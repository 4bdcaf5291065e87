package io.amifactory.engine.build;

import io.amifactory.engine.build.spec.BuildSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The phases a build runs, by name (names are stored in records, so they never change). */
final class Phases {
    private static final Map<String, Phase> ALL = new LinkedHashMap<>();

    static {
        for (Phase p : List.of(new ResolvePhase(), new PreflightPhase(), new DryRunPhase(), new LaunchPhase(),
                new ConsoleCustomisationPhase(), new SsmCommandPhase(), new AutomationPhase(), new StopInstancePhase(),
                new CreateImagePhase(), new WaitImagePhase(), new TagImagePhase(), new CopyImagesPhase(),
                new DeprecatePhase(), new SharePhase(), new PublishPhase())) {
            ALL.put(p.name(), p);
        }
    }

    private Phases() {
    }

    static Phase byName(String name) {
        Phase p = ALL.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown build phase '" + name + "' (a record from a newer version?)");
        }
        return p;
    }

    /** validate (done by the reader) → resolve → preflight → launch → customise → image → copy → share → publish. */
    static List<String> plan(BuildSpec spec, boolean dryRun) {
        List<String> names = new ArrayList<>(List.of("resolve", "preflight"));
        if (dryRun) {
            names.add("dry-run");
            return names;
        }
        BuildSpec.Customisation c = spec.customisation();
        if (c instanceof BuildSpec.Automation) {
            names.add("automation");
        } else {
            names.add("launch");
            names.add(c instanceof BuildSpec.SsmCommand ? "run-command" : "customise");
            names.add("stop");
            names.add("create-image");
        }
        names.add("wait-image");
        names.add("tag");
        if (!spec.copies().isEmpty()) {
            names.add("copy");
        }
        if (spec.image().deprecateAfter() != null) {
            names.add("deprecate");
        }
        if (!spec.share().isEmpty()) {
            names.add("share");
        }
        if (!spec.publish().isEmpty()) {
            names.add("publish");
        }
        return names;
    }
}
