package io.amifactory.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.aws.AwsSettings;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultPlan.Fault;
import io.amifactory.engine.testkit.FaultProxy;
import io.amifactory.engine.testkit.MotoExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The frame for running a factory flow under wire-level faults: one Moto, and two ways to reach it — a
 * clean proxy and a faulty one ({@link FaultProxy}) — so that a test can run the same flow over the same
 * data twice and compare, and then prove that faults were really injected on every call type it used.
 *
 * <p>Today the check cycle runs here ({@link CheckUnderFaultsTest}). The build, share and prune flows plug
 * in as further subclasses: run the flow with {@link #faulty}, then {@link #assertNoBuildInstanceLeft} and
 * compare what it made with a run over {@link #clean} (docs/reliability.md lists the pending rows).
 */
@ExtendWith(MotoExtension.class)
abstract class FlowUnderFaults {
    /**
     * Issue 6's load: half of every call type throttled, 5% server errors (2.5% HTTP 500, 2.5% HTTP 503).
     * The first three calls of each of {@code callTypes} get one of each fault, so that every fault reaches
     * every call type whatever the seed; the rates apply to the calls after them.
     */
    static FaultPlan throttlingAndServerErrors(long seed, List<String> callTypes) {
        FaultPlan plan = FaultPlan.seeded(seed)
                .inject(Fault.THROTTLE, 0.50)
                .inject(Fault.SERVER_ERROR, 0.025)
                .inject(Fault.UNAVAILABLE, 0.025);
        for (String type : callTypes) {
            plan.first(type, Fault.THROTTLE, 1).first(type, Fault.UNAVAILABLE, 1).first(type, Fault.SERVER_ERROR, 1);
        }
        return plan;
    }

    /**
     * Connections closed before the request (15%) and after it was carried out (10%); 0.3 s more on a third
     * of the calls. As above, the first two calls of each of {@code callTypes} get one drop of each kind.
     */
    static FaultPlan droppedConnectionsAndLatency(long seed, List<String> callTypes) {
        FaultPlan plan = FaultPlan.seeded(seed)
                .inject(Fault.DROP, 0.15)
                .inject(Fault.DROP_AFTER, 0.10)
                .latency("*", Duration.ofMillis(300), 0.33);
        for (String type : callTypes) {
            plan.first(type, Fault.DROP_AFTER, 1).first(type, Fault.DROP, 1);
        }
        return plan;
    }

    /**
     * The seed of the fault plans: {@code -Damifactory.faultSeed=N} runs the same tests with other faults
     * (docs/reliability.md); the default keeps a plain build reproducible.
     */
    static long seed() {
        return Long.getLong("amifactory.faultSeed", 1);
    }

    /** Setup and inspection, straight to Moto (never through a proxy). */
    protected AwsClients direct;
    protected FaultProxy cleanProxy;
    protected FaultProxy faultyProxy;
    /** The flow without faults: the reference run. */
    protected AwsClients clean;
    /** The flow under {@link #faults}, with the production retry budget unless a test says otherwise. */
    protected AwsClients faulty;
    private String baseImage;

    @BeforeEach
    void startProxies(MotoServer moto, AwsClients direct) {
        this.direct = direct;
        cleanProxy = FaultProxy.start(moto.endpoint(), FaultPlan.none());
        faultyProxy = FaultProxy.start(moto.endpoint(), FaultPlan.none());
        clean = new AwsClients(cleanProxy.settings());
        faulty = new AwsClients(faultyProxy.settings());
    }

    /** One line per test with what the faulty side saw: the numbers docs/reliability.md quotes. */
    @AfterEach
    void reportFaults(org.junit.jupiter.api.TestInfo test) {
        System.out.println("[faults] " + getClass().getSimpleName() + "." + test.getTestMethod().map(
                java.lang.reflect.Method::getName).orElse("?") + " seed " + seed() + ": " + faultCounts());
    }

    @AfterEach
    void stopProxies() {
        clean.close();
        faulty.close();
        cleanProxy.close();
        faultyProxy.close();
    }

    /** Applies {@code plan} to every call of the faulty side from now on. */
    protected void faults(FaultPlan plan) {
        faultyProxy.plan(plan);
    }

    /** Rebuilds the faulty side's clients with other settings (a smaller retry budget, say). */
    protected void faultySettings(UnaryOperator<AwsSettings.Builder> change) {
        faulty.close();
        faulty = new AwsClients(change.apply(faultyProxy.settings().toBuilder()).build());
    }

    // ---- upstream stand-ins (design.md: our own images and parameters take the place of upstream ones)

    /** A new AMI named {@code name} in {@code region}, made from a short-lived instance (terminated). */
    protected String upstreamImage(String region, String name) {
        Ec2Client ec2 = direct.ec2(region);
        String base = direct.ssm(region).getParameter(b -> b.name(
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")).parameter().value();
        String instance = ec2.runInstances(b -> b.imageId(base).instanceType(InstanceType.T3_MICRO).minCount(1).maxCount(1))
                .instances().get(0).instanceId();
        String image = ec2.createImage(b -> b.instanceId(instance).name(name)).imageId();
        ec2.terminateInstances(b -> b.instanceIds(instance));
        return image;
    }

    protected void parameter(String region, String name, String value) {
        direct.ssm(region).putParameter(b -> b.name(name).value(value).type(ParameterType.STRING).overwrite(true));
    }

    // ---- what every flow must show

    /** Each of {@code callTypes} got at least one of each of {@code faults} on the faulty side. */
    protected void assertFaultsReached(List<String> callTypes, List<Fault> faults) {
        for (String type : callTypes) {
            for (Fault f : faults) {
                assertTrue(faultyProxy.calls(type).stream().anyMatch(c -> c.fault() == f),
                        "no " + f + " was injected into " + type + ": " + faultCounts());
            }
        }
    }

    /** Calls per type and fault on the faulty side, for messages and the fault matrix. */
    protected Map<String, Map<String, Integer>> faultCounts() {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        for (FaultProxy.Call c : faultyProxy.calls()) {
            out.computeIfAbsent(c.type(), k -> new TreeMap<>())
                    .merge(c.fault() == null ? "ok" : c.fault().name(), 1, Integer::sum);
        }
        return out;
    }

    /** The ids of our own AMIs in {@code region}, as AWS lists them now. */
    protected java.util.Set<String> ownImages(String region) {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        direct.ec2(region).describeImages(b -> b.owners("self")).images().forEach(i -> ids.add(i.imageId()));
        return ids;
    }

    /** The ids of our own snapshots in {@code region}, as AWS lists them now. */
    protected java.util.Set<String> ownSnapshots(String region) {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        direct.ec2(region).describeSnapshotsPaginator(b -> b.ownerIds("self")).snapshots()
                .forEach(s -> ids.add(s.snapshotId()));
        return ids;
    }

    /** No build instance of the factory in any state but terminated (design.md: failure is tidy). */
    protected void assertNoBuildInstanceLeft(List<String> regions) {
        List<String> left = new ArrayList<>();
        for (String region : regions) {
            direct.ec2(region).describeInstancesPaginator(b -> b.filters(
                    Filter.builder().name("tag:" + Tags.ROLE).values(Tags.ROLE_BUILD_INSTANCE).build()))
                    .reservations().forEach(r -> r.instances().stream()
                            .filter(i -> !"terminated".equals(i.state().nameAsString()))
                            .map(Instance::instanceId).forEach(id -> left.add(region + "/" + id)));
        }
        assertTrue(left.isEmpty(), "build instances left behind: " + left);
    }
}
