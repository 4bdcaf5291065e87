package io.amifactory.engine.reliability;

import static io.amifactory.engine.reliability.TwoRegionEstate.FIRST;
import static io.amifactory.engine.reliability.TwoRegionEstate.REGIONS;
import static io.amifactory.engine.reliability.TwoRegionEstate.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.image.ImageQuery;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.prune.PrunePolicy;
import io.amifactory.engine.prune.PruneReport;
import io.amifactory.engine.prune.PruneRequest;
import io.amifactory.engine.prune.Pruner;
import io.amifactory.engine.prune.RegionPlan;
import io.amifactory.engine.share.Grantees;
import io.amifactory.engine.share.ImageSharer;
import io.amifactory.engine.share.RegionShare;
import io.amifactory.engine.share.ShareReport;
import io.amifactory.engine.share.ShareRequest;
import io.amifactory.engine.testkit.FaultProxy;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A share and a prune over two regions whose process dies after the first region was carried out, before
 * the first change in the second; then the same request again, as a new process would make it. The re-run
 * must finish the second region, find the first one already as wanted (no error, no change), and no change
 * may be made twice: the proxy's records of both runs hold each change exactly once.
 */
class ShareAndPruneCrashPointsTest extends FlowUnderFaults {
    private static final String FAMILY = "crash";
    private static final String ACCOUNT_A = "111111111111";
    private static final String ACCOUNT_B = "222222222222";
    private static final String ORG = "arn:aws:organizations::999999999999:organization/o-a1b2c3d4e5";

    /** The process dying: an Error, which no engine code catches. */
    static final class ProcessDeath extends Error {
        ProcessDeath(String where) {
            super("the process died before " + where);
        }
    }

    /** {@code clients}, except that the first change (not a describe/get/list) in {@code region} kills the process. */
    record DiesAtFirstChangeIn(ClientSource clients, String region) implements ClientSource {
        private static final List<String> READS = List.of("describe", "get", "list");

        @Override
        public Ec2Client ec2(String r) {
            Ec2Client real = clients.ec2(r);
            if (!r.equals(region)) {
                return real;
            }
            return (Ec2Client) Proxy.newProxyInstance(Ec2Client.class.getClassLoader(), new Class<?>[] {Ec2Client.class},
                    (proxy, method, args) -> {
                        String name = method.getName();
                        if (method.getDeclaringClass() == Ec2Client.class && READS.stream().noneMatch(name::startsWith)
                                && !name.equals("serviceName") && !name.equals("serviceClientConfiguration")
                                && !name.equals("waiter") && !name.equals("close")) {
                            throw new ProcessDeath(name + " in " + r);
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public SsmClient ssm(String r) {
            return clients.ssm(r);
        }

        @Override
        public AutoScalingClient autoScaling(String r) {
            return clients.autoScaling(r);
        }

        @Override
        public ClientSource forRole(String roleArn, String externalId) {
            throw new UnsupportedOperationException();
        }
    }

    /** The changes on the clean proxy's records, as {@code region operation}, in order. */
    private List<String> changes() {
        return cleanProxy.calls().stream().filter(c -> !c.operation().startsWith("Describe") && !c.operation().startsWith("Get")
                && !c.operation().startsWith("List")).map(c -> c.region() + " " + c.operation()).toList();
    }

    /** The changes a prune of two images makes in {@code region}: mark the snapshots, deregister, delete, twice. */
    static List<String> pruneCalls(String region) {
        List<String> one = List.of(region + " CreateTags", region + " DeregisterImage", region + " DeleteSnapshot");
        return java.util.stream.Stream.concat(one.stream(), one.stream()).toList();
    }

    private static ShareRequest shareRequest(Map<String, String> images) {
        return ShareRequest.parse(InputNode.parse("share", "image: {" + FIRST + ": " + images.get(FIRST) + ", " + SECOND + ": "
                + images.get(SECOND) + "}\naccounts: [\"" + ACCOUNT_A + "\", \"" + ACCOUNT_B + "\"]\norgArns: [\"" + ORG
                + "\"]\nsnapshots: true\n"), List.of());
    }

    @Test
    void aShareThatDiedBetweenRegionsIsFinishedByTheRerunWithoutChangingTheFirstRegionAgain() {
        TwoRegionEstate estate = new TwoRegionEstate(direct);
        Map<String, String> images = new TreeMap<>();
        REGIONS.forEach(region -> images.put(region, estate.shareImage(region, FAMILY, null)));
        Grantees wanted = new Grantees(Set.of(ACCOUNT_A, ACCOUNT_B), Set.of(ORG), Set.of(), false);

        ProcessDeath death = assertThrows(ProcessDeath.class, () -> new ImageSharer(new DiesAtFirstChangeIn(clean, SECOND))
                .share(shareRequest(images), ProgressListener.NONE));
        assertTrue(death.getMessage().contains("modifyImageAttribute in " + SECOND), death.getMessage());
        assertEquals(List.of(FIRST + " ModifyImageAttribute", FIRST + " ModifySnapshotAttribute"), changes(),
                "the first region was shared before the process died");
        assertEquals(wanted, estate.launchPermissions(FIRST, images.get(FIRST)));
        assertEquals(Grantees.NONE, estate.launchPermissions(SECOND, images.get(SECOND)), "the second region untouched");

        cleanProxy.clear();
        ShareReport rerun = new ImageSharer(clean).share(shareRequest(images), ProgressListener.NONE);

        assertTrue(rerun.ok(), rerun.toJson());
        assertEquals(List.of(RegionShare.Status.UNCHANGED, RegionShare.Status.CHANGED),
                rerun.regions().stream().map(RegionShare::status).toList(), rerun.toJson());
        assertEquals(List.of(SECOND + " ModifyImageAttribute", SECOND + " ModifySnapshotAttribute"), changes(),
                "the re-run changes only the second region");
        for (String region : REGIONS) {
            assertEquals(wanted, estate.launchPermissions(region, images.get(region)), region);
            assertEquals(Set.of(ACCOUNT_A, ACCOUNT_B), estate.snapshotAccounts(region, images.get(region)), region);
        }

        cleanProxy.clear();
        ShareReport third = new ImageSharer(clean).share(shareRequest(images), ProgressListener.NONE);
        assertTrue(third.regions().stream().allMatch(r -> r.status() == RegionShare.Status.UNCHANGED), third.toJson());
        assertEquals(List.of(), changes(), "a third run changes nothing");
    }

    @Test
    void aPruneThatDiedBetweenRegionsIsFinishedByTheRerunWithoutRemovingAnythingTwice() {
        TwoRegionEstate estate = new TwoRegionEstate(direct);
        Map<String, List<String>> ids = new TreeMap<>();
        REGIONS.forEach(region -> ids.put(region, estate.pruneFamily(region, FAMILY)));
        Map<String, Set<String>> snapshotsBefore = new TreeMap<>();
        REGIONS.forEach(region -> snapshotsBefore.put(region, ownSnapshots(region)));
        Map<String, Set<String>> doomed = new TreeMap<>();
        REGIONS.forEach(region -> doomed.put(region, Set.of(estate.snapshotOf(region, ids.get(region).get(0)),
                estate.snapshotOf(region, ids.get(region).get(4)))));
        PruneRequest request = new PruneRequest(ImageQuery.ownName(FAMILY + "-*"), REGIONS, PrunePolicy.keepNewest(1), List.of());
        Set<String> kept = Set.of(FAMILY + "-1", FAMILY + "-2", FAMILY + "-3", FAMILY + "-5");

        Pruner dying = new Pruner(new DiesAtFirstChangeIn(clean, SECOND));
        ProcessDeath death = assertThrows(ProcessDeath.class,
                () -> dying.execute(dying.plan(request, ProgressListener.NONE), ProgressListener.NONE));
        assertTrue(death.getMessage().contains("createTags in " + SECOND), death.getMessage());
        assertEquals(pruneCalls(FIRST), changes(), "the first region was pruned before the process died");
        assertEquals(kept, estate.imagesOf(FIRST, FAMILY).keySet());
        assertEquals(6, estate.imagesOf(SECOND, FAMILY).size(), "the second region untouched");

        cleanProxy.clear();
        Pruner pruner = new Pruner(clean);
        PruneReport rerun = pruner.execute(pruner.plan(request, ProgressListener.NONE), ProgressListener.NONE);

        assertTrue(rerun.ok(), rerun.toJson());
        RegionPlan first = rerun.plan().regions().get(0);
        assertEquals(FIRST, first.region());
        assertEquals(Map.of("keep", 4), first.summary(), "nothing left to do in the first region: " + rerun.toJson());
        assertEquals(pruneCalls(SECOND), changes(), "the re-run changes only the second region");
        assertTrue(cleanProxy.calls().stream().allMatch(c -> c.status() == 200), "no change met its work already done: "
                + cleanProxy.calls().stream().filter(c -> c.status() != 200).map(FaultProxy.Call::type).toList());
        for (String region : REGIONS) {
            assertEquals(kept, estate.imagesOf(region, FAMILY).keySet(), region);
            Set<String> gone = new java.util.TreeSet<>(snapshotsBefore.get(region));
            gone.removeAll(ownSnapshots(region));
            assertEquals(doomed.get(region), gone, "exactly the snapshots of the deregistered images are gone in " + region);
        }
    }
}
