package io.jenkins.plugins.amifactory.runners;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.prune.ActionResult;
import io.amifactory.engine.prune.PrunePlan;
import io.amifactory.engine.prune.PruneReport;
import io.amifactory.engine.prune.PruneRequest;
import io.amifactory.engine.prune.Pruner;
import io.amifactory.engine.prune.RegionPlan;
import io.jenkins.plugins.amifactory.aws.AwsAccess;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Prunes for the {@code amiPrune} step and the freestyle prune builder: plan (read-only), archive the plan as
 * the build artifact {@value #PLAN_FILE}, then act, unless it is a dry run.
 */
@Restricted(NoExternalUse.class)
public final class PruneRunner {
    public static final String PLAN_FILE = "ami-prune-plan.json";

    private PruneRunner() {
    }

    /**
     * @return the plan as a plain map for a dry run, else the report (the plan and what was done per image)
     * @throws AbortException for invalid input (nothing called in AWS), a region that could not be planned, or
     *                        an action that failed; the plan artifact exists by then
     */
    public static LinkedHashMap<String, Object> prune(EngineArguments args, boolean dryRun, AwsAccess access, Run<?, ?> run,
                                               TaskListener listener) throws IOException, InterruptedException {
        PruneRequest request;
        try {
            request = PruneRequest.parse(args.node(), AmiFactoryConfiguration.get().getDefaultRegionList(), Instant.now());
        } catch (InputException e) {
            throw new AbortException(e.getMessage());
        }
        PrintStream log = listener.getLogger();
        log.println("amiPrune: " + request.query().describe() + " in " + String.join(", ", request.regions()) + " as "
                + access.describe() + (dryRun ? " (dry run)" : ""));
        try (AwsClients clients = access.clients(run)) {
            Pruner pruner = new Pruner(clients);
            PrunePlan plan = pruner.plan(request, log::println);
            PlanArtifact.archive(run, listener, PLAN_FILE, plan.toJson());
            for (RegionPlan r : plan.regions()) {
                log.println("amiPrune: " + r.region() + ": " + (r.failed() ? "not planned, nothing will be done here: " + r.error()
                        : "plan " + r.summaryText()));
            }
            log.println("amiPrune: the plan is archived as " + PLAN_FILE);
            if (dryRun) {
                if (plan.hasFailures()) {
                    throw new AbortException("amiPrune: some regions could not be planned (see " + PLAN_FILE + ")");
                }
                log.println("amiPrune: dry run, nothing was changed");
                return PlainValues.fromJson(plan.toJson());
            }
            PruneReport report = pruner.execute(plan, log::println);
            if (!report.ok()) {
                List<String> problems = report.results().stream().filter(r -> r.error() != null)
                        .map(r -> r.region() + ": " + r.error()).collect(Collectors.toList());
                for (ActionResult a : report.failures()) {
                    problems.add(a.imageId() + ": " + a.error());
                }
                throw new AbortException("amiPrune did not finish everything: " + String.join("; ", problems)
                        + " (see " + PLAN_FILE + " and the log)");
            }
            return PlainValues.fromJson(report.toJson());
        }
    }
}
