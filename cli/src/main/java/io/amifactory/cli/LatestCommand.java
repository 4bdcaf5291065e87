package io.amifactory.cli;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.latest.LatestFinder;
import io.amifactory.engine.latest.LatestImage;
import io.amifactory.engine.latest.LatestReport;
import io.amifactory.engine.latest.LatestRequest;
import java.io.PrintWriter;
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

/** {@code amifactory latest}: the newest AMI matching a name and/or tags, per region. */
@Command(name = "latest", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Print the newest launchable AMI matching a name glob and/or tags in each region (--json for "
                + "scripts). Deprecated images are passed over unless --include-deprecated.",
            "Exit 0 found in every region, 1 not found (or failed) in some region, 2 invalid input.", ""})
public final class LatestCommand implements Callable<Integer> {
    @Mixin
    AwsOptions aws;

    @Spec
    CommandSpec spec;

    @Option(names = "--name", paramLabel = "GLOB", description = "AMI name glob (EC2 wildcards * and ?).")
    String name;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Tag to match (repeatable).")
    List<String> tags;

    @Option(names = "--owner", split = ",", paramLabel = "OWNER", description = "Image owners: self (default), amazon, aws-marketplace or account ids.")
    List<String> owners;

    @Option(names = "--include-deprecated", description = "Consider deprecated images too.")
    boolean includeDeprecated;

    @Option(names = "--region", paramLabel = "R", description = "Region to look in (repeatable). Default: the configured region.")
    List<String> regions;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AwsOptions closing = aws) {
            Map<String, Object> args = new LinkedHashMap<>();
            RequestArgs.putIf(args, "name", name);
            RequestArgs.putIf(args, "tags", tags);
            RequestArgs.putIf(args, "owners", owners);
            RequestArgs.putIf(args, "regions", regions);
            RequestArgs.flag(args, "includeDeprecated", includeDeprecated);
            List<String> defaults = regions == null || regions.isEmpty() ? aws.defaultRegions(null) : List.of();
            LatestRequest request = LatestRequest.parse(InputNode.ofValue("command line", args), defaults);
            AwsClients clients = aws.clients();
            clients.verifyCredentials();
            LatestReport report = new LatestFinder(clients).find(request, line -> err.println(line));
            if (json) {
                out.println(report.toJson());
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"REGION", "AMI ID", "NAME", "CREATED"});
                for (LatestImage i : report.regions()) {
                    rows.add(i.found() ? new String[] {i.region(), i.imageId(), String.valueOf(i.name()), String.valueOf(i.creationDate())}
                            : new String[] {i.region(), "-", i.error() == null ? "(no match)" : "(failed: " + i.error() + ")", ""});
                }
                Table.print(out, rows);
            }
            out.flush();
            return report.ok() ? ExitCode.OK : ExitCode.PARTIAL;
        }
    }
}
