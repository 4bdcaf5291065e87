package io.jenkins.plugins.amifactory.forms;

import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.build.spec.SingleBuildReader;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.latest.LatestRequest;
import io.amifactory.engine.prune.PruneAction;
import io.amifactory.engine.prune.PruneRequest;
import io.amifactory.engine.share.ShareRequest;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Field checks of the steps' and builders' forms that ask the engine: the field typed is put into a request
 * (a build spec, a prune or share request) whose other values are stand-ins the engine accepts, the engine reads
 * it, and only what it says about that field is shown. The rules and messages stay the engine's, the same as
 * when the step or builder runs.
 */
@Restricted(NoExternalUse.class)
public final class RequestChecks {
    /** A region by shape that no build copies to, for a build region given as ${VARIABLE}. */
    private static final String STAND_IN_REGION = "xx-standin-1";
    private static final String STAND_IN_IMAGE = "ami-0123456789abcdef0";
    private static final List<String> STAND_IN_ACCOUNTS = List.of("123456789012");
    private static final Map<String, Object> STAND_IN_BUILD = Map.of(
            "imageName", "standin-{timestamp}",
            "source", STAND_IN_IMAGE,
            "bootstrapUrl", "https://example.com/bootstrap.sh");
    private static final Map<String, Object> STAND_IN_PRUNE = Map.of("name", "standin-*");

    private RequestChecks() {
    }

    /** A value with ${VARIABLES} is checked when the build runs, once they are expanded. */
    public static boolean hasVariables(String value) {
        return value != null && value.contains("$");
    }

    // ---- amiBuild and "Build an AMI": one build

    /**
     * One field of a build spec.
     *
     * @param region the build's region as the form has it (blank: the default region), for checks that depend on it
     */
    public static FormValidation buildField(String key, Object value, String region) {
        return field(key, STAND_IN_BUILD, value, doc -> reader(region).read(doc, null));
    }

    /**
     * The whole spec of "Build an AMI" as written in the form, with the build name and region fields beside it;
     * the message names the spec's line and field, as the build's would.
     */
    public static FormValidation buildSpec(String spec, String specFile, String name, String region) {
        boolean inline = !FormText.isBlank(spec);
        boolean file = !FormText.isBlank(specFile);
        if (inline == file) {
            return FormValidation.error(inline ? "Give the spec here or as a spec file in the workspace, not both."
                    : "Required: the build spec (YAML or JSON), or a spec file in the workspace.");
        }
        if (file) {
            return FormValidation.ok();
        }
        String which = hasVariables(name) ? null : FormText.blankToNull(name);
        try {
            reader(region).read(InputNode.parse("spec", spec), which);
            return FormValidation.ok();
        } catch (InputException e) {
            if (which == null && hasVariables(name) && "name".equals(e.field())) {
                return FormValidation.ok(); // which build is named when the build runs
            }
            return FormValidation.error(e.getMessage());
        }
    }

    private static SingleBuildReader reader(String region) {
        String buildRegion;
        if (hasVariables(region)) {
            buildRegion = STAND_IN_REGION;
        } else if (!FormText.isBlank(region)) {
            buildRegion = region.trim();
        } else {
            List<String> defaults = AmiFactoryConfiguration.get().getDefaultRegionList();
            buildRegion = defaults.isEmpty() ? STAND_IN_REGION : defaults.get(0);
        }
        return new SingleBuildReader(buildRegion, null);
    }

    /** The completions the engine knows, for a drop-down; the first entry leaves the engine's default. */
    public static ListBoxModel completions() {
        return choices(Arrays.stream(BuildSpec.Completion.values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
    }

    /**
     * A drop-down of the engine's choices: first "Default: X" with an empty value, so that a form saved without a
     * choice keeps none and the engine's default (the first choice) applies, then each choice.
     */
    private static ListBoxModel choices(List<String> values) {
        ListBoxModel model = new ListBoxModel();
        model.add("Default: " + values.get(0), "");
        values.forEach(v -> model.add(v, v));
        return model;
    }

    // ---- amiPrune and "Prune old AMIs"

    /**
     * One field of a prune request.
     *
     * @param action the action chosen in the form, for the fields that depend on it (deprecateAt)
     */
    public static FormValidation pruneField(String key, Object value, String action) {
        Map<String, Object> standIns = new LinkedHashMap<>(STAND_IN_PRUNE);
        if (!FormText.isBlank(action) && !hasVariables(action)) {
            standIns.put("action", action.trim());
        }
        return field(key, standIns, value,
                doc -> PruneRequest.parse(doc, List.of(STAND_IN_REGION), Instant.now()));
    }

    /** The actions the engine knows, for a drop-down (see {@link #choices}); deregister is its default. */
    public static ListBoxModel pruneActions(String current) {
        ListBoxModel model = choices(Arrays.stream(PruneAction.values()).map(PruneAction::json).toList());
        if (hasVariables(current)) {
            model.add(current, current); // a job saved with ${VARIABLE} keeps it
        }
        return model;
    }

    // ---- amiShare and "Share an AMI"

    /** The AMI to share (an id, or REGION=ID pairs); with {@code name} given too, the engine says which to keep. */
    public static FormValidation shareImage(Object image, String name) {
        Map<String, Object> standIns = new LinkedHashMap<>(Map.of("accounts", STAND_IN_ACCOUNTS));
        if (!FormText.isBlank(name) && !hasVariables(name)) {
            standIns.put("name", name.trim());
        }
        return field("image", standIns, image, RequestChecks::readShare);
    }

    /** The name glob that finds the AMI to share instead of an id. */
    public static FormValidation shareName(String name) {
        return field("name", Map.of("accounts", STAND_IN_ACCOUNTS), name, RequestChecks::readShare);
    }

    /** Accounts, organization ARNs or OU ARNs (key {@code accounts}, {@code orgArns}, {@code ouArns}). */
    public static FormValidation shareGrantees(String key, List<String> values) {
        return field(key, Map.of("image", STAND_IN_IMAGE), values, RequestChecks::readShare);
    }

    private static void readShare(InputNode doc) {
        ShareRequest.parse(doc, List.of(STAND_IN_REGION));
    }

    /** The builder's AMI field as the engine takes it: one id, or REGION=ID pairs (what ${AMI_IDS} expands to). */
    public static Object shareImageArgument(String text) {
        List<String> images = FormText.words(text);
        return images.size() == 1 && !images.get(0).contains("=") ? images.get(0) : images;
    }

    // ---- amiLatest

    /** One field of amiLatest ({@code name}, {@code owners}). */
    public static FormValidation latestField(String key, Object value) {
        return field(key, Map.of("name", "standin-*"), value,
                doc -> LatestRequest.parse(doc, List.of(STAND_IN_REGION)));
    }

    // ----

    /**
     * Reads the stand-ins with {@code key} set to {@code value} (or left out when the value is empty, as the steps
     * leave out what is not given) and returns what the engine says about {@code key}, if anything.
     */
    private static FormValidation field(String key, Map<String, Object> standIns, Object value, Consumer<InputNode> read) {
        if (value instanceof String s && hasVariables(s)) {
            return FormValidation.ok();
        }
        Map<String, Object> request = new LinkedHashMap<>(standIns);
        request.remove(key);
        boolean empty = value == null || value instanceof String s && s.isBlank()
                || value instanceof Collection<?> c && c.isEmpty();
        if (!empty) {
            request.put(key, value);
        }
        try {
            read.accept(InputNode.ofValue("", request));
            return FormValidation.ok();
        } catch (InputException e) {
            return about(e, key) ? FormValidation.error(e.problem()) : FormValidation.ok();
        }
    }

    private static boolean about(InputException e, String key) {
        String f = e.field();
        return f.equals(key) || f.startsWith(key + "[") || f.startsWith(key + ".");
    }
}
