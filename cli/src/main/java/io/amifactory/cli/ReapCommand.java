package io.amifactory.cli;

import io.amifactory.engine.Json;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.aws.RegionNames;
import io.amifactory.engine.build.Reaper;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code amifactory reap}: terminate build instances whose build died (their amifactory:expires has passed). */
@Command(name = "reap", mixinStandardHelpOptions = true,
        description = {
            "Terminate orphaned build instances: only instances tagged amifactory:role=build-instance whose "
                    + "amifactory:expires has passed. Nothing else is touched; instances without a readable expiry are "
                    + "reported and left alone.",
            "Exit 0: done (or nothing to do); 1: some terminations failed; 2: usage or no credentials."
        })
public final class ReapCommand implements Callable<Integer> {
    @Mixin
    AwsOptions aws;

    @Spec
    CommandSpec spec;

    @Option(names = "--region", paramLabel = "R", description = "Regions to reap. Repeatable. Default: AWS_REGION or the profile's.")
    List<String> regions = new ArrayList<>();

    @Option(names = "--dry-run", description = "List what would be terminated (and check the permission with EC2 DryRun).")
    boolean dryRun;

    @Option(names = "--json", description = "Print {\"instances\":[{region, instanceId, buildId, state, expires, action, detail}]}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        for (String r : regions) {
            if (RegionNames.problem(r) != null) {
                throw new UsageException("--region: " + RegionNames.problem(r));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AwsOptions closing = aws) {
            List<String> where = aws.defaultRegions(regions);
            if (where.isEmpty()) {
                throw new UsageException("no region: pass --region, or set AWS_REGION / a profile region");
            }
            AwsClients clients = aws.clients();
            clients.verifyCredentials();
            List<Reaper.Reaped> reaped = new Reaper(clients, Clock.systemUTC(), line -> {
                err.println(line);
                err.flush();
            }).reap(where, dryRun);
            if (json) {
                List<Map<String, Object>> items = new ArrayList<>();
                for (Reaper.Reaped r : reaped) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("region", r.region());
                    m.put("instanceId", r.instanceId());
                    m.put("buildId", r.buildId());
                    m.put("state", r.state());
                    m.put("expires", r.expires());
                    m.put("action", label(r.action()));
                    m.put("detail", r.detail());
                    items.add(m);
                }
                out.println(Json.MAPPER.writeValueAsString(Map.of("instances", items)));
            } else if (reaped.isEmpty()) {
                out.println("no build instances in " + String.join(", ", where));
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"REGION", "INSTANCE", "BUILD", "EXPIRES", "ACTION"});
                for (Reaper.Reaped r : reaped) {
                    rows.add(new String[] {r.region(), r.instanceId(), dash(r.buildId()), dash(r.expires()),
                            label(r.action()) + (r.action() == Reaper.Action.FAILED ? ": " + r.detail() : "")});
                }
                Table.print(out, rows);
            }
            out.flush();
            return reaped.stream().anyMatch(r -> r.action() == Reaper.Action.FAILED) ? ExitCode.PARTIAL : ExitCode.OK;
        }
    }

    private static String label(Reaper.Action a) {
        return a.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }
}
