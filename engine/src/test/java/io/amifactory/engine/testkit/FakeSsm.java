package io.amifactory.engine.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * An in-memory SSM Parameter Store answering GetParameters as SSM does: at most 10 names, unknown names
 * in InvalidParameters, and a whole-call AccessDenied when any name is in {@link #denied}.
 */
public class FakeSsm implements SsmClient {
    public final CallLog log;
    public final Map<String, String> parameters = new ConcurrentHashMap<>();
    public final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final List<Supplier<SdkException>> failures = new CopyOnWriteArrayList<>();
    private volatile Duration latency = Duration.ZERO;

    public FakeSsm(CallLog log) {
        this.log = log;
    }

    public FakeSsm parameter(String name, String value) {
        parameters.put(name, value);
        return this;
    }

    public void failNext(Supplier<SdkException> error) {
        failures.add(error);
    }

    public void latency(Duration d) {
        latency = d;
    }

    @Override
    public GetParametersResponse getParameters(GetParametersRequest request) {
        log.record("getParameters");
        FakeEc2.pause(latency);
        if (request.names().size() > 10) {
            throw FakeErrors.ssm(400, "ValidationException", "Member must have length less than or equal to 10");
        }
        if (!failures.isEmpty()) {
            throw failures.remove(0).get();
        }
        for (String n : request.names()) {
            if (denied.contains(n)) {
                throw FakeErrors.ssmAccessDenied(n);
            }
        }
        List<Parameter> found = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (String n : request.names()) {
            String v = parameters.get(n);
            if (v == null) {
                invalid.add(n);
            } else {
                found.add(Parameter.builder().name(n).value(v).type("String").version(1L).build());
            }
        }
        return GetParametersResponse.builder().parameters(found).invalidParameters(invalid).build();
    }

    @Override
    public String serviceName() {
        return "ssm";
    }

    @Override
    public void close() {
    }
}
