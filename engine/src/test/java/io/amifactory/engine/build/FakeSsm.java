package io.amifactory.engine.build;

import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.AddTagsToResourceRequest;
import software.amazon.awssdk.services.ssm.model.AddTagsToResourceResponse;
import software.amazon.awssdk.services.ssm.model.AutomationExecution;
import software.amazon.awssdk.services.ssm.model.CancelCommandRequest;
import software.amazon.awssdk.services.ssm.model.CancelCommandResponse;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.DeleteParameterRequest;
import software.amazon.awssdk.services.ssm.model.DeleteParameterResponse;
import software.amazon.awssdk.services.ssm.model.DescribeDocumentRequest;
import software.amazon.awssdk.services.ssm.model.DescribeDocumentResponse;
import software.amazon.awssdk.services.ssm.model.DescribeInstanceInformationRequest;
import software.amazon.awssdk.services.ssm.model.DescribeInstanceInformationResponse;
import software.amazon.awssdk.services.ssm.model.DocumentParameter;
import software.amazon.awssdk.services.ssm.model.GetAutomationExecutionRequest;
import software.amazon.awssdk.services.ssm.model.GetAutomationExecutionResponse;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationRequest;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InvalidDocumentException;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.ListCommandsRequest;
import software.amazon.awssdk.services.ssm.model.ListCommandsResponse;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;
import software.amazon.awssdk.services.ssm.model.PutParameterResponse;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;
import software.amazon.awssdk.services.ssm.model.SendCommandResponse;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ssm.model.StartAutomationExecutionRequest;
import software.amazon.awssdk.services.ssm.model.StartAutomationExecutionResponse;
import software.amazon.awssdk.services.ssm.model.StepExecution;
import software.amazon.awssdk.services.ssm.model.StopAutomationExecutionRequest;
import software.amazon.awssdk.services.ssm.model.StopAutomationExecutionResponse;

/** The SSM of one region of a {@link FakeAws}: parameters, Run Command and Automation. */
public final class FakeSsm implements SsmClient {
    final FakeAws aws;
    final String region;
    public final Map<String, Param> parameters = new LinkedHashMap<>();
    final Map<String, Cmd> commands = new LinkedHashMap<>();
    final Map<String, Exec> executions = new LinkedHashMap<>();
    final Map<String, List<DocumentParameter>> documents = new LinkedHashMap<>();

    public static final class Param {
        public String value;
        public String dataType;
        public long version;
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    static final class Cmd {
        String id;
        String instanceId;
        String comment;
        String document;
        Map<String, List<String>> parameters;
        Instant sentAt;
        boolean cancelled;
    }

    static final class Exec {
        String id;
        String document;
        String token;
        Map<String, List<String>> parameters;
        Instant startedAt;
        Instant cancelledAt;
        String imageId;
    }

    FakeSsm(FakeAws aws, String region) {
        this.aws = aws;
        this.region = region;
    }

    @Override
    public String serviceName() {
        return "ssm";
    }

    @Override
    public void close() {
    }

    /** Registers an Automation document; parameters without a default are required. */
    public FakeSsm addDocument(String name, Map<String, String> parametersWithDefaults) {
        synchronized (aws.lock) {
            List<DocumentParameter> ps = new ArrayList<>();
            parametersWithDefaults.forEach((k, d) -> ps.add(DocumentParameter.builder().name(k).type("String").defaultValue(d).build()));
            documents.put(name, ps);
        }
        return this;
    }

    public FakeSsm put(String name, String value) {
        synchronized (aws.lock) {
            Param p = new Param();
            p.value = value;
            p.dataType = "text";
            p.version = 1;
            parameters.put(name, p);
        }
        return this;
    }

    public Exec execution(String id) {
        synchronized (aws.lock) {
            return executions.get(id);
        }
    }

    public Map<String, List<String>> startedWith(String executionId) {
        synchronized (aws.lock) {
            return executions.get(executionId).parameters;
        }
    }

    private <T> T op(String name, Supplier<T> body) {
        Faults.refuseIfInterrupted();
        synchronized (aws.lock) {
            aws.record(region, name);
            int call = aws.nextCall();
            aws.faults.before(name, call, ERRORS);
            T result = body.get();
            aws.faults.after(name, call);
            return result;
        }
    }

    static SsmException error(String code, String message, int status) {
        return (SsmException) SsmException.builder().statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("SSM").build())
                .build();
    }

    static final Faults.ErrorFactory ERRORS = new Faults.ErrorFactory() {
        @Override
        public RuntimeException error(String code, String message, int status) {
            return FakeSsm.error(code, message, status);
        }

        @Override
        public RuntimeException throttling() {
            return FakeSsm.error("ThrottlingException", "Rate exceeded", 400);
        }
    };

    // ---- parameters

    @Override
    public GetParameterResponse getParameter(GetParameterRequest req) {
        return op("getParameter", () -> {
            Param p = parameters.get(req.name());
            if (p == null) {
                throw ParameterNotFoundException.builder().message("Parameter " + req.name() + " not found.")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ParameterNotFound").build()).statusCode(400).build();
            }
            return GetParameterResponse.builder().parameter(x -> x.name(req.name()).value(p.value).dataType(p.dataType)
                    .version(p.version)).build();
        });
    }

    @Override
    public GetParametersResponse getParameters(GetParametersRequest req) {
        return op("getParameters", () -> {
            List<Parameter> found = new ArrayList<>();
            List<String> invalid = new ArrayList<>();
            for (String name : req.names()) {
                Param p = parameters.get(name);
                if (p == null) {
                    invalid.add(name);
                } else {
                    found.add(Parameter.builder().name(name).value(p.value).dataType(p.dataType).version(p.version).build());
                }
            }
            return GetParametersResponse.builder().parameters(found).invalidParameters(invalid).build();
        });
    }

    @Override
    public PutParameterResponse putParameter(PutParameterRequest req) {
        return op("putParameter", () -> {
            Param p = parameters.get(req.name());
            if (p != null && !Boolean.TRUE.equals(req.overwrite())) {
                throw error("ParameterAlreadyExists", "exists", 400);
            }
            if (p == null) {
                p = new Param();
                parameters.put(req.name(), p);
            }
            p.value = req.value();
            p.dataType = req.dataType() == null ? "text" : req.dataType();
            p.version++;
            return PutParameterResponse.builder().version(p.version).build();
        });
    }

    @Override
    public DeleteParameterResponse deleteParameter(DeleteParameterRequest req) {
        return op("deleteParameter", () -> {
            if (parameters.remove(req.name()) == null) {
                throw ParameterNotFoundException.builder().message("not found").statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ParameterNotFound").build()).build();
            }
            return DeleteParameterResponse.builder().build();
        });
    }

    @Override
    public AddTagsToResourceResponse addTagsToResource(AddTagsToResourceRequest req) {
        return op("addTagsToResource", () -> {
            Param p = parameters.get(req.resourceId());
            if (p == null) {
                throw error("InvalidResourceId", "no parameter " + req.resourceId(), 400);
            }
            req.tags().forEach(t -> p.tags.put(t.key(), t.value()));
            return AddTagsToResourceResponse.builder().build();
        });
    }

    // ---- run command

    @Override
    public DescribeInstanceInformationResponse describeInstanceInformation(DescribeInstanceInformationRequest req) {
        return op("describeInstanceInformation", () -> {
            String id = req.filters().get(0).values().get(0);
            FakeEc2 ec2 = aws.fakeEc2(region);
            ec2.tick();
            FakeEc2.Inst i = ec2.instances.get(id);
            List<InstanceInformation> out = new ArrayList<>();
            if (i != null && i.state.equals("running") && !aws.now().isBefore(i.since.plus(aws.agentDelay))) {
                out.add(InstanceInformation.builder().instanceId(id).pingStatus("Online").build());
            }
            return DescribeInstanceInformationResponse.builder().instanceInformationList(out).build();
        });
    }

    @Override
    public SendCommandResponse sendCommand(SendCommandRequest req) {
        return op("sendCommand", () -> {
            Cmd c = new Cmd();
            c.id = aws.id("cmd");
            c.instanceId = req.instanceIds().get(0);
            c.comment = req.comment();
            c.document = req.documentName();
            c.parameters = req.parameters();
            c.sentAt = aws.now();
            commands.put(c.id, c);
            return SendCommandResponse.builder().command(x -> x.commandId(c.id).comment(c.comment)).build();
        });
    }

    @Override
    public ListCommandsResponse listCommands(ListCommandsRequest req) {
        return op("listCommands", () -> {
            List<Command> out = new ArrayList<>();
            for (Cmd c : commands.values()) {
                if (req.instanceId() == null || req.instanceId().equals(c.instanceId)) {
                    out.add(Command.builder().commandId(c.id).comment(c.comment).build());
                }
            }
            return ListCommandsResponse.builder().commands(out).build();
        });
    }

    @Override
    public GetCommandInvocationResponse getCommandInvocation(GetCommandInvocationRequest req) {
        return op("getCommandInvocation", () -> {
            Cmd c = commands.get(req.commandId());
            if (c == null || aws.now().isBefore(c.sentAt.plusSeconds(2))) {
                throw InvocationDoesNotExistException.builder().message("no invocation yet").statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvocationDoesNotExist").build()).build();
            }
            Instant now = aws.now();
            String status;
            StringBuilder out = new StringBuilder();
            List<String> lines = aws.scriptOutput;
            if (c.cancelled) {
                status = "Cancelled";
            } else if (now.isBefore(c.sentAt.plus(aws.commandTime))) {
                status = "InProgress";
                out.append(lines.get(0)).append('\n');
            } else {
                status = aws.commandStatus;
                lines.forEach(l -> out.append(l).append('\n'));
            }
            int code = status.equals("Success") ? 0 : status.equals("InProgress") ? -1 : 2;
            return GetCommandInvocationResponse.builder().commandId(c.id).instanceId(c.instanceId).status(status)
                    .statusDetails(status).responseCode(code).standardOutputContent(out.toString())
                    .standardErrorContent(status.equals("Failed") ? "error: step failed\n" : "").build();
        });
    }

    @Override
    public CancelCommandResponse cancelCommand(CancelCommandRequest req) {
        return op("cancelCommand", () -> {
            Cmd c = commands.get(req.commandId());
            if (c != null) {
                c.cancelled = true;
            }
            return CancelCommandResponse.builder().build();
        });
    }

    // ---- automation

    @Override
    public DescribeDocumentResponse describeDocument(DescribeDocumentRequest req) {
        return op("describeDocument", () -> {
            List<DocumentParameter> ps = documents.get(req.name());
            if (ps == null) {
                throw InvalidDocumentException.builder().message("The specified document does not exist.").statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidDocument").build()).build();
            }
            return DescribeDocumentResponse.builder().document(d -> d.name(req.name()).documentType("Automation")
                    .parameters(ps)).build();
        });
    }

    @Override
    public StartAutomationExecutionResponse startAutomationExecution(StartAutomationExecutionRequest req) {
        return op("startAutomationExecution", () -> {
            for (Exec e : executions.values()) {
                if (req.clientToken() != null && req.clientToken().equals(e.token)) {
                    return StartAutomationExecutionResponse.builder().automationExecutionId(e.id).build();
                }
            }
            Exec e = new Exec();
            e.id = java.util.UUID.randomUUID().toString();
            e.document = req.documentName();
            e.token = req.clientToken();
            e.parameters = req.parameters();
            e.startedAt = aws.now();
            executions.put(e.id, e);
            return StartAutomationExecutionResponse.builder().automationExecutionId(e.id).build();
        });
    }

    @Override
    public GetAutomationExecutionResponse getAutomationExecution(GetAutomationExecutionRequest req) {
        return op("getAutomationExecution", () -> {
            Exec e = executions.get(req.automationExecutionId());
            Instant now = aws.now();
            boolean ended = !now.isBefore(e.startedAt.plus(aws.automationTime));
            String status;
            Instant imageAt = e.startedAt.plus(aws.automationTime.dividedBy(2));
            if (e.cancelledAt != null) {
                status = now.isBefore(e.cancelledAt.plusSeconds(20)) ? "Cancelling" : "Cancelled";
            } else if (ended) {
                status = aws.automationStatus;
            } else {
                status = "InProgress";
            }
            // The document's createImage step runs halfway through (unless cancelled before).
            boolean imageMade = e.cancelledAt == null ? !now.isBefore(imageAt) : !e.cancelledAt.isBefore(imageAt);
            if (imageMade && e.imageId == null) {
                FakeEc2 ec2 = aws.fakeEc2(region);
                e.imageId = ec2.createImageForAutomation(e.parameters.getOrDefault("TargetAmiName", List.of("automation-image")).get(0));
            }
            List<StepExecution> steps = new ArrayList<>();
            steps.add(StepExecution.builder().stepName("LaunchInstance").action("aws:runInstances").stepStatus("Success").build());
            if (e.imageId != null) {
                steps.add(StepExecution.builder().stepName("CreateImage").action("aws:createImage").stepStatus("Success")
                        .outputs(Map.of("ImageId", List.of(e.imageId))).build());
            }
            AutomationExecution.Builder b = AutomationExecution.builder().automationExecutionId(e.id).documentName(e.document)
                    .automationExecutionStatus(status).stepExecutions(steps);
            if (status.equals("Success") && e.imageId != null) {
                b.outputs(Map.of("CreateImage.ImageId", List.of(e.imageId)));
            }
            if (status.equals("Failed")) {
                b.failureMessage("Step fails when it is verifying the command has completed.");
            }
            return GetAutomationExecutionResponse.builder().automationExecution(b.build()).build();
        });
    }

    @Override
    public StopAutomationExecutionResponse stopAutomationExecution(StopAutomationExecutionRequest req) {
        return op("stopAutomationExecution", () -> {
            Exec e = executions.get(req.automationExecutionId());
            if (e.cancelledAt == null) {
                e.cancelledAt = aws.now();
            }
            return StopAutomationExecutionResponse.builder().build();
        });
    }
}
