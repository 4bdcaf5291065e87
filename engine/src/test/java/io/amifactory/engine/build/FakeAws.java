package io.amifactory.engine.build;

import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.testkit.CallLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * An in-memory AWS for build tests: EC2 (instances, images, snapshots, volumes) and SSM (parameters, Run
 * Command, Automation) in any number of regions, whose resources change state as a {@link FakeClock} moves.
 * The build instance behaves like a real one running the factory's wrapper: it boots, runs for
 * {@link #customisationTime}, prints to its console, reports {@link #exitCode} with the build's markers and
 * powers off. Every call is recorded in {@link #calls}; {@link #faults} injects errors.
 */
public final class FakeAws implements ClientSource {
    /** How the build instance's customisation behaves. */
    public enum Script { SUCCEEDS, NEVER_ENDS, STOPS_WITHOUT_MARKER }

    final FakeClock clock;
    public final CallLog calls = new CallLog();
    public final Faults faults = new Faults();
    final Object lock = new Object();

    public Duration bootTime = Duration.ofSeconds(20);
    public Duration customisationTime = Duration.ofMinutes(25);
    public Duration stopTime = Duration.ofSeconds(30);
    public Duration terminateTime = Duration.ofSeconds(40);
    public Duration imageTime = Duration.ofMinutes(6);
    public Duration copyTime = Duration.ofMinutes(12);
    public Duration agentDelay = Duration.ofMinutes(1);
    public Duration commandTime = Duration.ofMinutes(8);
    public Duration automationTime = Duration.ofMinutes(30);
    public Script script = Script.SUCCEEDS;
    public int exitCode = 0;
    public String commandStatus = "Success";
    public String automationStatus = "Success";
    public String imageEndState = "available";
    /**
     * The next this many DescribeImages calls that filter by a tag list nothing: EC2 shows a new image under a
     * tag filter only after a while (eventual consistency).
     */
    public int tagFilterMisses = 0;
    public List<String> scriptOutput = List.of("installing packages", "nginx installed", "customisation done");

    /** How long one build's instance and images take (by build id); builds without an entry use the fields above. */
    public record Timing(Duration boot, Duration customisation, Duration stop, Duration image, Duration copy) {
    }

    public final Map<String, Timing> timings = new java.util.concurrent.ConcurrentHashMap<>();

    /** One call as answered: when (on the fake clock), in which region, which operation. */
    public record Call(Instant at, String region, String operation) {
    }

    /** Every call in order, for rates per region. */
    public final List<Call> timeline = java.util.Collections.synchronizedList(new ArrayList<>());

    private final Map<String, FakeEc2> ec2 = new LinkedHashMap<>();
    private final Map<String, FakeSsm> ssm = new LinkedHashMap<>();
    private int ids = 0x1000;
    private int callCount;

    public FakeAws(FakeClock clock) {
        this.clock = clock;
    }

    @Override
    public Ec2Client ec2(String region) {
        synchronized (lock) {
            return ec2.computeIfAbsent(region, r -> new FakeEc2(this, r));
        }
    }

    @Override
    public SsmClient ssm(String region) {
        synchronized (lock) {
            return ssm.computeIfAbsent(region, r -> new FakeSsm(this, r));
        }
    }

    public FakeEc2 fakeEc2(String region) {
        return (FakeEc2) ec2(region);
    }

    public FakeSsm fakeSsm(String region) {
        return (FakeSsm) ssm(region);
    }

    @Override
    public AutoScalingClient autoScaling(String region) {
        throw new UnsupportedOperationException("not used by builds");
    }

    @Override
    public ClientSource forRole(String roleArn, String externalId) {
        return this;
    }

    Timing timing(String buildId) {
        Timing t = buildId == null ? null : timings.get(buildId);
        return t != null ? t : new Timing(bootTime, customisationTime, stopTime, imageTime, copyTime);
    }

    void record(String region, String operation) {
        calls.record(operation);
        timeline.add(new Call(now(), region, operation));
    }

    int nextCall() {
        return ++callCount;
    }

    /** Calls answered so far (any operation, any region). */
    public int callCount() {
        synchronized (lock) {
            return callCount;
        }
    }

    Instant now() {
        return clock.instant();
    }

    String id(String prefix) {
        synchronized (lock) {
            return prefix + "-" + String.format("%017x", ids++);
        }
    }

    // ---- what a test asserts

    /** Instances that still exist and cost money, in every region. */
    public List<String> liveInstances() {
        List<String> out = new ArrayList<>();
        synchronized (lock) {
            ec2.values().forEach(e -> out.addAll(e.liveInstances()));
        }
        return out;
    }

    /** Images made during the test (by CreateImage, CopyImage or an automation) and not deregistered. */
    public List<String> madeImages() {
        List<String> out = new ArrayList<>();
        synchronized (lock) {
            ec2.values().forEach(e -> out.addAll(e.madeImages()));
        }
        return out;
    }

    /** Snapshots made during the test and not deleted. */
    public List<String> madeSnapshots() {
        List<String> out = new ArrayList<>();
        synchronized (lock) {
            ec2.values().forEach(e -> out.addAll(e.madeSnapshots()));
        }
        return out;
    }

    public int launchedInstances() {
        synchronized (lock) {
            return ec2.values().stream().mapToInt(FakeEc2::launchedCount).sum();
        }
    }

    // ---- helpers for the fakes

    static Ec2Exception ec2Error(String code, String message, int status) {
        return (Ec2Exception) Ec2Exception.builder().statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("EC2").build())
                .build();
    }

    static final Faults.ErrorFactory EC2_ERRORS = new Faults.ErrorFactory() {
        @Override
        public RuntimeException error(String code, String message, int status) {
            return ec2Error(code, message, status);
        }

        @Override
        public RuntimeException throttling() {
            return ec2Error("RequestLimitExceeded", "Request limit exceeded.", 503);
        }
    };

    /** The build id in a wrapper script, if the user data is one. */
    static String buildIdOf(String userDataBase64) {
        if (userDataBase64 == null) {
            return null;
        }
        String text = new String(Base64.getDecoder().decode(userDataBase64), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("AMIFACTORY:(\\S+?):START").matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
