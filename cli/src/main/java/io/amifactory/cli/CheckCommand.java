package io.amifactory.cli;

import io.amifactory.engine.Json;
import io.amifactory.engine.track.CheckReport;
import io.amifactory.engine.track.CheckResult;
import io.amifactory.engine.track.Ledger;
import io.amifactory.engine.track.ReleaseEvent;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.TrackedImagesFile;
import io.amifactory.engine.track.Tracker;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code amifactory check}: which upstream AMI is current for every tracked image and region, and what is new. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {
            "Resolve every tracked image in every region, compare with the state file, and report what is new.",
            "First sight of an image is recorded as a baseline. Exit 0: all resolved; 1: some pairs failed "
                    + "(the others are reported and saved); 2: invalid config, usage or no credentials (nothing saved)."
        })
public final class CheckCommand implements Callable<Integer> {
    @Mixin
    AwsOptions aws;

    @Spec
    CommandSpec spec;

    @Mixin
    TrackingOptions tracking;

    @Option(names = "--json", description = "Print {\"results\":[...],\"events\":[...]} instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrackedImagesFile file = tracking.load();
        try (AwsOptions closing = aws) {
            TrackingOptions.Plan plan = tracking.plan(file, aws);
            List<TrackedImage> images = plan.images();
            List<String> defaults = plan.defaultRegions();
            var clients = aws.clients();
            clients.verifyCredentials();
            Tracker tracker = new Tracker(clients, new Ledger(tracking.stateFile(aws)), line -> {
                err.println(line);
                err.flush();
            });
            CheckReport report = tracker.check(images, defaults);
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(report.toJsonTree()));
            } else {
                printTable(out, report);
            }
            out.flush();
            // Printed: the events are delivered.
            report.events().forEach(e -> tracker.acknowledge(e.id()));
            return report.anyError() ? ExitCode.PARTIAL : ExitCode.OK;
        }
    }

    static void printTable(PrintWriter out, CheckReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"IMAGE", "REGION", "AMI ID", "AMI NAME", "CREATED", "STATUS"});
        for (CheckResult r : report.results()) {
            String status = r.status().label();
            if (r.error() != null) {
                status += ": " + r.error();
            } else if (r.previousImageId() != null && !r.previousImageId().equals(r.imageId())) {
                status += " (was " + r.previousImageId() + ")";
            }
            rows.add(new String[] {r.image(), dash(r.region()), dash(r.imageId()), dash(r.imageName()),
                    dash(r.creationDate()), status});
        }
        Table.print(out, rows);
        if (!report.events().isEmpty()) {
            out.println();
            out.println(report.events().size() + " release event(s):");
            for (ReleaseEvent e : report.events()) {
                out.println("  " + e.toJson());
            }
        }
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }
}
