package io.amifactory.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.amifactory.engine.Json;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.amifactory.engine.testkit.MotoExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.ImageAttributeName;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.ec2.model.SnapshotAttributeName;

/**
 * {@code amifactory share} and {@code amifactory prune} over two regions as a child JVM, killed with SIGKILL
 * while the second region's first change is held at the proxy — after the first region was carried out —
 * then run again in-process, as the operator would. The re-run must finish the second region, leave the
 * first one as it is (no error, no change there) and change nothing twice. The held request never reaches
 * AWS before the re-run is over (the case where it does is a retried change whose first attempt went
 * through: {@code ShareAndPruneUnderDropsTest} in the engine).
 */
@ExtendWith(MotoExtension.class)
class ShareAndPruneKillTest {
    private static final String FIRST = "us-east-1";
    private static final String SECOND = "eu-west-1";
    private static final List<String> REGIONS = List.of(FIRST, SECOND);
    private static final String ACCOUNT_A = "111111111111";
    private static final String ACCOUNT_B = "222222222222";

    @TempDir
    Path dir;
    private FaultProxy proxy;
    private AwsClients aws;
    private final List<FaultProxy.Hold> stale = new ArrayList<>();

    @BeforeEach
    void proxy(MotoServer moto, AwsClients aws) {
        this.aws = aws;
        proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none());
    }

    @AfterEach
    void stop() {
        stale.forEach(FaultProxy.Hold::release);
        proxy.close();
    }

    private record Result(int code, JsonNode json, String err) {
    }

    private Result inProcess(List<String> args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try {
            int code = AmiFactory.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
            return new Result(code, code == 2 ? null : Json.MAPPER.readTree(out.toString()), err.toString());
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    private Process child(List<String> args) throws Exception {
        return ChildCli.of(dir, args).redirectOutput(dir.resolve("child-stdout.txt").toFile()).start();
    }

    /**
     * Runs {@code args} in a child JVM and kills it (SIGKILL) while the {@code n}-th {@code selector} call is
     * held at the proxy; the calls before it go through. The held call stays held until the test ends.
     */
    private void killAtCall(List<String> args, String selector, int n) throws Exception {
        FaultProxy.Hold hold = proxy.hold(selector);
        Process p = child(args);
        try {
            for (int i = 1; i <= n; i++) {
                assertTrue(hold.awaitArrival(Duration.ofSeconds(120)), "call " + i + " of " + selector + " never came: "
                        + Files.readString(dir.resolve("child-stderr.txt")));
                if (i < n) {
                    FaultProxy.Hold next = proxy.hold(selector); // the next one waits; this one goes on
                    hold.release();
                    hold = next;
                }
            }
            p.destroyForcibly(); // SIGKILL on Unix
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
            stale.add(hold);
            proxy.hold("none:None"); // the re-run's calls are not held
        }
    }

    /** The changes on the proxy's records, as {@code region Operation}, in order. */
    private List<String> changes() {
        return proxy.calls().stream().filter(c -> !c.operation().startsWith("Describe") && !c.operation().startsWith("Get")
                && !c.operation().startsWith("List")).map(c -> c.region() + " " + c.operation()).toList();
    }

    private Set<String> launchAccounts(String region, String image) {
        Set<String> out = new TreeSet<>();
        aws.ec2(region).describeImageAttribute(r -> r.imageId(image).attribute(ImageAttributeName.LAUNCH_PERMISSION))
                .launchPermissions().stream().map(LaunchPermission::userId).forEach(out::add);
        return out;
    }

    private String snapshotOf(String region, String image) {
        return aws.ec2(region).describeImages(r -> r.imageIds(image)).images().get(0).blockDeviceMappings().get(0).ebs()
                .snapshotId();
    }

    private Set<String> snapshotAccounts(String region, String image) {
        Set<String> out = new TreeSet<>();
        aws.ec2(region).describeSnapshotAttribute(r -> r.snapshotId(snapshotOf(region, image))
                .attribute(SnapshotAttributeName.CREATE_VOLUME_PERMISSION)).createVolumePermissions()
                .forEach(p -> out.add(p.userId()));
        return out;
    }

    private Set<String> imageNames(String region) {
        Set<String> out = new TreeSet<>();
        aws.ec2(region).describeImages(r -> r.owners("self")).images().forEach(i -> out.add(i.name()));
        return out;
    }

    @Test
    void aShareKilledBetweenRegionsIsFinishedByTheRerunWithoutChangingTheFirstRegionAgain() throws Exception {
        Map<String, String> images = new TreeMap<>();
        REGIONS.forEach(region -> images.put(region, aws.ec2(region).registerImage(r -> r.name("web-1")).imageId()));
        List<String> args = List.of("share", "--image", FIRST + "=" + images.get(FIRST), "--image",
                SECOND + "=" + images.get(SECOND), "--accounts", ACCOUNT_A + "," + ACCOUNT_B, "--snapshots",
                "--endpoint-url", proxy.endpoint().toString(), "--json");

        killAtCall(args, "ec2:ModifyImageAttribute", 2);

        assertEquals(List.of(FIRST + " ModifyImageAttribute", FIRST + " ModifySnapshotAttribute"), changes(),
                "the first region was shared before the kill");
        assertEquals(Set.of(ACCOUNT_A, ACCOUNT_B), launchAccounts(FIRST, images.get(FIRST)));
        assertEquals(Set.of(), launchAccounts(SECOND, images.get(SECOND)), "the held change never reached AWS");

        proxy.clear();
        Result rerun = inProcess(args);

        assertEquals(0, rerun.code(), rerun.err());
        List<String> statuses = new ArrayList<>();
        rerun.json().get("regions").forEach(r -> statuses.add(r.get("region").asText() + " " + r.get("status").asText()));
        assertEquals(List.of(FIRST + " unchanged", SECOND + " changed"), statuses, rerun.json().toString());
        assertEquals(List.of(SECOND + " ModifyImageAttribute", SECOND + " ModifySnapshotAttribute"), changes(),
                "the re-run changes only the second region");
        for (String region : REGIONS) {
            assertEquals(Set.of(ACCOUNT_A, ACCOUNT_B), launchAccounts(region, images.get(region)), region);
            assertEquals(Set.of(ACCOUNT_A, ACCOUNT_B), snapshotAccounts(region, images.get(region)), region);
        }
    }

    @Test
    void aPruneKilledBetweenRegionsIsFinishedByTheRerunWithoutRemovingAnythingTwice() throws Exception {
        Map<String, List<String>> snapshots = new TreeMap<>(); // crash-0, crash-1, crash-2's, per region
        for (String region : REGIONS) {
            for (int i = 0; i <= 2; i++) {
                String name = "crash-" + i;
                String image = aws.ec2(region).registerImage(r -> r.name(name)).imageId();
                snapshots.computeIfAbsent(region, k -> new ArrayList<>()).add(snapshotOf(region, image));
            }
        }
        List<String> args = List.of("prune", "--name", "crash-*", "--keep", "1", "--region", FIRST, "--region", SECOND,
                "--endpoint-url", proxy.endpoint().toString(), "--json");

        // the first region deregisters two images; the third DeregisterImage is the second region's first change
        killAtCall(args, "ec2:DeregisterImage", 3);

        assertEquals(List.of(FIRST + " CreateTags", FIRST + " DeregisterImage", FIRST + " DeleteSnapshot",
                FIRST + " CreateTags", FIRST + " DeregisterImage", FIRST + " DeleteSnapshot", SECOND + " CreateTags"),
                changes(), "the first region was pruned, the second's first snapshot marked, before the kill");
        assertEquals(Set.of("crash-2"), imageNames(FIRST));
        assertEquals(Set.of("crash-0", "crash-1", "crash-2"), imageNames(SECOND), "the held change never reached AWS");

        proxy.clear();
        Result rerun = inProcess(args);

        assertEquals(0, rerun.code(), rerun.err());
        assertEquals(List.of(SECOND + " CreateTags", SECOND + " DeregisterImage", SECOND + " DeleteSnapshot",
                SECOND + " CreateTags", SECOND + " DeregisterImage", SECOND + " DeleteSnapshot"), changes(),
                "the re-run changes only the second region");
        assertTrue(proxy.calls().stream().allMatch(c -> c.status() == 200), "no error on the re-run: " + proxy.calls());
        for (String region : REGIONS) {
            assertEquals(Set.of("crash-2"), imageNames(region), region);
            Set<String> left = new TreeSet<>();
            aws.ec2(region).describeSnapshotsPaginator(r -> r.ownerIds("self")).snapshots()
                    .forEach(snapshot -> left.add(snapshot.snapshotId()));
            List<String> made = snapshots.get(region);
            assertTrue(left.contains(made.get(2)) && !left.contains(made.get(0)) && !left.contains(made.get(1)),
                    "only the kept image's snapshot is left in " + region);
        }
    }

    /** Our snapshots in {@code region}, as AWS lists them now. */
    private Set<String> ownSnapshots(String region) {
        Set<String> left = new TreeSet<>();
        aws.ec2(region).describeSnapshotsPaginator(r -> r.ownerIds("self")).snapshots().forEach(s -> left.add(s.snapshotId()));
        return left;
    }

    @Test
    void aPruneKilledBetweenDeregisteringAnImageAndDeletingItsSnapshotLeavesNoSnapshotBehind() throws Exception {
        Map<String, List<String>> snapshots = new TreeMap<>(); // crash-0, crash-1, crash-2's, per region
        for (String region : REGIONS) {
            for (int i = 0; i <= 2; i++) {
                String name = "crash-" + i;
                String image = aws.ec2(region).registerImage(r -> r.name(name)).imageId();
                snapshots.computeIfAbsent(region, k -> new ArrayList<>()).add(snapshotOf(region, image));
            }
        }
        List<String> args = List.of("prune", "--name", "crash-*", "--keep", "1", "--region", FIRST, "--region", SECOND,
                "--endpoint-url", proxy.endpoint().toString(), "--json");

        // one of crash-0 and crash-1 is deregistered in the first region; the process dies before its snapshot is deleted
        killAtCall(args, "ec2:DeleteSnapshot", 1);

        assertEquals(List.of(FIRST + " CreateTags", FIRST + " DeregisterImage"), changes());
        Set<String> still = imageNames(FIRST);
        assertEquals(2, still.size(), still.toString());
        assertTrue(still.contains("crash-2"), "the newest is kept: " + still);
        int gone = still.contains("crash-0") ? 1 : 0;
        assertTrue(ownSnapshots(FIRST).contains(snapshots.get(FIRST).get(gone)), "the dead run left crash-" + gone + "'s snapshot");

        proxy.clear();
        Result rerun = inProcess(args);

        assertEquals(0, rerun.code(), rerun.err());
        assertTrue(rerun.err().contains(FIRST + ": 1 snapshot(s) left behind by an earlier prune (their AMI is gone)"), rerun.err());
        JsonNode leftover = rerun.json().at("/plan/regions/0/leftoverSnapshots/0");
        assertEquals(snapshots.get(FIRST).get(gone), leftover.path("snapshotId").asText(), rerun.json().toString());
        assertEquals(List.of(FIRST + " CreateTags", FIRST + " DeregisterImage", FIRST + " DeleteSnapshot",
                FIRST + " DeleteSnapshot", SECOND + " CreateTags", SECOND + " DeregisterImage", SECOND + " DeleteSnapshot",
                SECOND + " CreateTags", SECOND + " DeregisterImage", SECOND + " DeleteSnapshot"), changes(),
                "the other old image in the first region, the leftover snapshot, then the second region");
        for (String region : REGIONS) {
            assertEquals(Set.of("crash-2"), imageNames(region), region);
            Set<String> left = ownSnapshots(region);
            List<String> made = snapshots.get(region);
            assertTrue(left.contains(made.get(2)) && !left.contains(made.get(0)) && !left.contains(made.get(1)),
                    "only the kept image's snapshot is left in " + region + ": " + made);
        }
    }
}
