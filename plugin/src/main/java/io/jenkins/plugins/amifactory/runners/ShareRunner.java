package io.jenkins.plugins.amifactory.runners;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.share.ImageSharer;
import io.amifactory.engine.share.RegionShare;
import io.amifactory.engine.share.ShareAbortedException;
import io.amifactory.engine.share.ShareRefusedException;
import io.amifactory.engine.share.ShareReport;
import io.amifactory.engine.share.ShareRequest;
import io.jenkins.plugins.amifactory.aws.AwsAccess;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/** Shares (or unshares) an AMI for the {@code amiShare} step and the freestyle share builder. */
@Restricted(NoExternalUse.class)
public final class ShareRunner {
    private ShareRunner() {
    }

    /**
     * Checks the request (nothing is called in AWS when it is invalid), shares, and returns the engine's report as
     * a plain map. A refusal, or a failure in any region, fails with a message saying what was changed.
     */
    public static LinkedHashMap<String, Object> share(EngineArguments args, AwsAccess access, Run<?, ?> run, TaskListener listener)
            throws AbortException {
        ShareRequest request;
        try {
            request = ShareRequest.parse(args.node(), AmiFactoryConfiguration.get().getDefaultRegionList());
        } catch (InputException e) {
            throw new AbortException(e.getMessage());
        }
        PrintStream log = listener.getLogger();
        log.println("amiShare: " + request.operation().json() + " launch permissions in " + String.join(", ", request.regions())
                + " as " + access.describe());
        ShareReport report;
        try (AwsClients clients = access.clients(run)) {
            report = new ImageSharer(clients).share(request, log::println);
        } catch (ShareRefusedException e) {
            throw new AbortException("amiShare refused, nothing was changed: " + String.join("; ", e.problems()));
        } catch (ShareAbortedException e) {
            throw new AbortException("amiShare: " + e.getMessage());
        }
        for (RegionShare r : report.regions()) {
            log.println("amiShare: " + r.region() + " " + r.imageId() + " " + r.status().json()
                    + (r.launchPermissions() == null ? "" : "; launch permissions: " + r.launchPermissions().describe())
                    + (r.error() == null ? "" : " (" + r.error() + ")"));
        }
        if (!report.ok()) {
            List<String> failed = report.failures().stream().map(r -> r.region() + ": " + r.error()).collect(Collectors.toList());
            throw new AbortException("amiShare failed in " + failed.size() + " region(s): " + String.join("; ", failed)
                    + " (the other regions were changed as asked)");
        }
        return PlainValues.fromJson(report.toJson());
    }
}
