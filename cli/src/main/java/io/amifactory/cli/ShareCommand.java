package io.amifactory.cli;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.share.ImageSharer;
import io.amifactory.engine.share.RegionShare;
import io.amifactory.engine.share.ShareAbortedException;
import io.amifactory.engine.share.ShareRefusedException;
import io.amifactory.engine.share.ShareReport;
import io.amifactory.engine.share.ShareRequest;
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

/** {@code amifactory share}: add or remove launch permissions of an AMI in one or more regions. */
@Command(name = "share", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Share an AMI (or stop sharing it) with accounts, organizations and OUs, in every region given. "
                + "Everything is checked in every region before the first change; a repeated share changes nothing.",
            "Exit 0 done, 1 partly failed, 2 invalid input or refused (nothing changed). See docs/sharing.md.", ""})
public final class ShareCommand implements Callable<Integer> {
    @Mixin
    AwsOptions aws;

    @Spec
    CommandSpec spec;

    @Option(names = "--image", paramLabel = "ID|REGION=ID",
            description = "The AMI: its id (one region), or REGION=ID once per region (e.g. from a build result).")
    List<String> images;

    @Option(names = "--name", paramLabel = "GLOB", description = "Find the AMI by name (the newest match of your own images in each region).")
    String name;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Find the AMI by tag (repeatable; with or without --name).")
    List<String> tags;

    @Option(names = "--region", paramLabel = "R", description = "Region to share in (repeatable). Default: the configured region.")
    List<String> regions;

    @Option(names = "--accounts", split = ",", paramLabel = "ID", description = "12-digit account ids (comma-separated or repeated).")
    List<String> accounts;

    @Option(names = "--org-arns", split = ",", paramLabel = "ARN",
            description = "Organization ARNs: arn:aws:organizations::ACCOUNT:organization/o-xxxxxxxxxx")
    List<String> orgArns;

    @Option(names = "--ou-arns", split = ",", paramLabel = "ARN",
            description = "Organizational unit ARNs: arn:aws:organizations::ACCOUNT:ou/o-xxxxxxxxxx/ou-xxxx-xxxxxxxx")
    List<String> ouArns;

    @Option(names = "--public", description = "Make the AMI public (needs --allow-public too; with --remove: make it private).")
    boolean makePublic;

    @Option(names = "--allow-public", description = "Confirm that the AMI may be launched by anyone in the world.")
    boolean allowPublic;

    @Option(names = "--remove", description = "Remove these permissions instead of adding them.")
    boolean remove;

    @Option(names = "--snapshots", description = "Also give (or remove) the accounts' create-volume permission on the AMI's snapshots.")
    boolean snapshots;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AwsOptions closing = aws) {
            ShareRequest request = ShareRequest.parse(InputNode.ofValue("command line", arguments()), defaultRegions());
            AwsClients clients = aws.clients();
            clients.verifyCredentials();
            ShareReport report;
            try {
                report = new ImageSharer(clients).share(request, line -> err.println(line));
            } catch (ShareRefusedException e) {
                err.println("amifactory: refused, nothing was changed:");
                e.problems().forEach(p -> err.println("  " + p));
                return ExitCode.INVALID;
            } catch (ShareAbortedException e) {
                err.println("amifactory: " + e.getMessage());
                return ExitCode.PARTIAL;
            }
            if (json) {
                out.println(report.toJson());
            } else {
                print(out, report);
            }
            out.flush();
            return report.ok() ? ExitCode.OK : ExitCode.PARTIAL;
        }
    }

    private Map<String, Object> arguments() {
        Map<String, Object> args = new LinkedHashMap<>();
        if (images != null && !images.isEmpty()) {
            args.put("image", images.size() == 1 ? images.get(0) : images);
        }
        RequestArgs.putIf(args, "name", name);
        RequestArgs.putIf(args, "tags", tags);
        RequestArgs.putIf(args, "regions", regions);
        RequestArgs.putIf(args, "accounts", accounts);
        RequestArgs.putIf(args, "orgArns", orgArns);
        RequestArgs.putIf(args, "ouArns", ouArns);
        RequestArgs.flag(args, "public", makePublic);
        RequestArgs.flag(args, "allowPublic", allowPublic);
        RequestArgs.flag(args, "remove", remove);
        RequestArgs.flag(args, "snapshots", snapshots);
        return args;
    }

    /** The configured region is looked up only when neither --region nor REGION=ID says where. */
    private List<String> defaultRegions() {
        boolean regionsNamed = (regions != null && !regions.isEmpty())
                || (images != null && images.stream().anyMatch(i -> i.contains("=")));
        return regionsNamed ? List.of() : aws.defaultRegions(null);
    }

    private static void print(PrintWriter out, ShareReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"REGION", "AMI ID", "STATUS", "LAUNCH PERMISSIONS"});
        List<String[]> snapshots = new ArrayList<>();
        snapshots.add(new String[] {"REGION", "SNAPSHOT", "CREATE-VOLUME PERMISSIONS"});
        for (RegionShare r : report.regions()) {
            String permissions = r.launchPermissions() == null ? "?" : r.launchPermissions().describe();
            rows.add(new String[] {r.region(), r.imageId(), r.status().json(),
                r.error() == null ? permissions : permissions + " (" + r.error() + ")"});
            r.snapshotPermissions().forEach((snapshot, users) -> snapshots.add(new String[] {r.region(), snapshot,
                users.isEmpty() ? "nobody" : String.join(", ", users)}));
        }
        Table.print(out, rows);
        if (snapshots.size() > 1) {
            out.println();
            Table.print(out, snapshots);
        }
    }
}
