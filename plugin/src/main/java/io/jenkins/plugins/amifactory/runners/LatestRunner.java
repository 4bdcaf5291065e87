package io.jenkins.plugins.amifactory.runners;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.latest.LatestFinder;
import io.amifactory.engine.latest.LatestImage;
import io.amifactory.engine.latest.LatestReport;
import io.amifactory.engine.latest.LatestRequest;
import io.jenkins.plugins.amifactory.aws.AwsAccess;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/** Finds the newest matching AMI per region for the {@code amiLatest} step. */
@Restricted(NoExternalUse.class)
public final class LatestRunner {
    private LatestRunner() {
    }

    /**
     * @param asMap return a Map region to AMI id even for one region
     * @return the AMI id when one region was asked for (and not {@code asMap}), else a Map region to AMI id
     * @throws AbortException for invalid input, or when a region has no match (or could not be asked)
     */
    public static Object find(EngineArguments args, boolean asMap, AwsAccess access, Run<?, ?> run, TaskListener listener)
            throws AbortException {
        LatestRequest request;
        try {
            request = LatestRequest.parse(args.node(), AmiFactoryConfiguration.get().getDefaultRegionList());
        } catch (InputException e) {
            throw new AbortException(e.getMessage());
        }
        PrintStream log = listener.getLogger();
        LatestReport report;
        try (AwsClients clients = access.clients(run)) {
            report = new LatestFinder(clients).find(request, log::println);
        }
        for (LatestImage i : report.regions()) {
            if (i.found()) {
                log.println("amiLatest: " + i.region() + ": " + i.imageId() + " (" + i.name() + ", " + i.creationDate() + ")");
            }
        }
        if (!report.ok()) {
            List<String> missing = report.regions().stream().filter(i -> !i.found())
                    .map(i -> i.region() + (i.error() == null ? ": no available image matches" : ": " + i.error()))
                    .collect(Collectors.toList());
            throw new AbortException("amiLatest: " + request.query().describe() + ": " + String.join("; ", missing));
        }
        if (!asMap && request.regions().size() == 1) {
            return report.imageIdByRegion().get(request.regions().get(0));
        }
        return new LinkedHashMap<>(report.imageIdByRegion());
    }
}
