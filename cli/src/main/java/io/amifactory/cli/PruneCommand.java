package io.amifactory.cli;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.prune.ActionResult;
import io.amifactory.engine.prune.Decision;
import io.amifactory.engine.prune.PrunePlan;
import io.amifactory.engine.prune.PruneReport;
import io.amifactory.engine.prune.PruneRequest;
import io.amifactory.engine.prune.Pruner;
import io.amifactory.engine.prune.RegionPlan;
import io.amifactory.engine.progress.ProgressListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code amifactory prune}: plan, then deregister (or deprecate, or disable) old images nothing uses. */
@Command(name = "prune", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Remove old AMIs of your own that nothing uses. Kept: the newest N launchable images of each family, "
                + "those younger than --max-age, those tagged amifactory:keep=true, and every image referenced by an instance "
                + "(any state but terminated), any launch template version, an auto scaling group, a launch configuration or "
                + "an SSM parameter.",
            "The plan (every image, keep or act, and why) is made before anything changes; --dry-run stops there.",
            "Exit 0 done, 1 partly failed, 2 invalid input (nothing changed). See docs/pruning.md.", ""})
public final class PruneCommand implements Callable<Integer> {
    @Mixin
    AwsOptions aws;

    @Spec
    CommandSpec spec;

    @Option(names = "--name", paramLabel = "GLOB", description = "Select your images by name (EC2 wildcards * and ?).")
    String name;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Select your images by tag (repeatable), e.g. amifactory:tracked-image=web.")
    List<String> tags;

    @Option(names = "--keep", required = true, paramLabel = "N",
            description = "Keep the newest N launchable images of each family (0 only if you mean it).")
    int keep;

    @Option(names = "--max-age", paramLabel = "AGE", description = "Also keep images younger than this (30d, 12h, 2w, P30D).")
    String maxAge;

    @Option(names = "--action", paramLabel = "ACTION", description = "deregister (default; deletes the snapshots too), deprecate or disable.")
    String action;

    @Option(names = "--deprecate-at", paramLabel = "WHEN", description = "With --action deprecate: a time (2026-01-31T00:00:00Z) or a delay (now, 7d). Default: now.")
    String deprecateAt;

    @Option(names = "--family-tag", paramLabel = "KEY", description = "Tag whose value names an image's family (default amifactory:tracked-image); untagged images group by name prefix.")
    String familyTag;

    @Option(names = "--in-use-parameter", paramLabel = "NAME", description = "An SSM parameter (or PATH/ for all below it) whose AMI must be kept (repeatable).")
    List<String> inUseParameters;

    @Option(names = "--keep-shared", description = "Keep images shared with other accounts, organizations or the public (their use there is invisible from here).")
    boolean keepShared;

    @Option(names = "--region", paramLabel = "R", description = "Region to prune in (repeatable). Default: the configured region.")
    List<String> regions;

    @Option(names = "--dry-run", description = "Make and print the plan; change nothing.")
    boolean dryRun;

    @Option(names = "--plan-file", paramLabel = "FILE", description = "Write the plan as JSON to FILE before anything changes.")
    Path planFile;

    @Option(names = "--json", description = "Print JSON: the plan (with --dry-run), or the plan and the results.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AwsOptions closing = aws) {
            List<String> defaults = regions == null || regions.isEmpty() ? aws.defaultRegions(null) : List.of();
            PruneRequest request = PruneRequest.parse(InputNode.ofValue("command line", arguments()), defaults, Instant.now());
            AwsClients clients = aws.clients();
            clients.verifyCredentials();
            ProgressListener progress = line -> err.println(line);
            Pruner pruner = new Pruner(clients);
            PrunePlan plan = pruner.plan(request, progress);
            if (planFile != null) {
                try {
                    Files.writeString(planFile, plan.toJson() + "\n", StandardCharsets.UTF_8);
                } catch (IOException e) {
                    err.println("amifactory: cannot write the plan to " + planFile + " (" + e.getMessage() + "); nothing was changed");
                    return ExitCode.PARTIAL;
                }
            }
            if (dryRun) {
                if (json) {
                    out.println(plan.toJson());
                } else {
                    printPlan(out, plan);
                    out.println("dry run: nothing was changed");
                }
                out.flush();
                return plan.hasFailures() ? ExitCode.PARTIAL : ExitCode.OK;
            }
            if (!json) {
                printPlan(out, plan);
                out.flush();
            }
            PruneReport report = pruner.execute(plan, progress);
            if (json) {
                out.println(report.toJson());
            } else {
                printResults(out, report);
            }
            out.flush();
            return report.ok() ? ExitCode.OK : ExitCode.PARTIAL;
        }
    }

    private Map<String, Object> arguments() {
        Map<String, Object> args = new LinkedHashMap<>();
        RequestArgs.putIf(args, "name", name);
        RequestArgs.putIf(args, "tags", tags);
        RequestArgs.putIf(args, "regions", regions);
        args.put("keep", keep);
        RequestArgs.putIf(args, "maxAge", maxAge);
        RequestArgs.putIf(args, "action", action);
        RequestArgs.putIf(args, "deprecateAt", deprecateAt);
        RequestArgs.putIf(args, "familyTag", familyTag);
        RequestArgs.putIf(args, "inUseParameters", inUseParameters);
        RequestArgs.flag(args, "keepShared", keepShared);
        return args;
    }

    private static void printPlan(PrintWriter out, PrunePlan plan) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"REGION", "AMI ID", "NAME", "CREATED", "DECISION", "REASON"});
        for (RegionPlan r : plan.regions()) {
            for (Decision d : r.images()) {
                rows.add(new String[] {r.region(), d.imageId(), String.valueOf(d.name()), d.created(), d.decisionText(), d.detail()});
            }
        }
        if (rows.size() > 1) {
            Table.print(out, rows);
        }
        for (RegionPlan r : plan.regions()) {
            out.println(r.region() + ": " + (r.failed() ? "not planned, nothing will be done here: " + r.error()
                    : "plan " + r.summaryText()));
        }
    }

    private static void printResults(PrintWriter out, PruneReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"REGION", "AMI ID", "ACTION", "STATUS", "DETAIL"});
        for (PruneReport.RegionResult r : report.results()) {
            for (ActionResult a : r.actions()) {
                String detail = a.error() != null ? a.error()
                        : a.deletedSnapshots().isEmpty() ? "" : "deleted " + String.join(", ", a.deletedSnapshots());
                if (!a.keptSnapshots().isEmpty()) {
                    detail += (detail.isEmpty() ? "" : "; ") + "kept " + String.join(", ", a.keptSnapshots()) + " (used by another image)";
                }
                rows.add(new String[] {r.region(), a.imageId(), a.action().json(), a.status().json(), detail});
            }
        }
        if (rows.size() > 1) {
            out.println();
            Table.print(out, rows);
        }
    }
}
