package io.amifactory.engine.build;

import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.build.spec.BuildSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * Runs the customisation with SSM Run Command once the instance's SSM agent is online, and streams the
 * command's output. Success goes on (the instance is stopped next); any other end fails the build.
 */
final class SsmCommandPhase implements Phase {
    private static final Set<String> RUNNING = Set.of("Pending", "InProgress", "Delayed");
    private static final Set<String> SHELL_DOCUMENTS = Set.of(BuildSpec.SsmCommand.LINUX_DOCUMENT,
            BuildSpec.SsmCommand.WINDOWS_DOCUMENT);

    @Override
    public String name() {
        return "run-command";
    }

    static String comment(String buildId) {
        String c = "amifactory build " + buildId;
        return c.length() <= 100 ? c : c.substring(0, 100);
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildRecord r = ctx.record();
        String state = Instances.state(Instances.describe(ctx.ec2(), r.instanceId));
        if (state == null || state.equals("pending")) {
            return ctx.poll();
        }
        if (!state.equals("running")) {
            return PhaseResult.fail("the build instance " + r.instanceId + " is " + state
                    + " before the SSM command finished");
        }
        if (r.commandId == null) {
            return send(ctx);
        }
        GetCommandInvocationResponse inv;
        try {
            inv = ctx.ssm().getCommandInvocation(b -> b.commandId(r.commandId).instanceId(r.instanceId));
        } catch (InvocationDoesNotExistException notYet) {
            return ctx.poll();
        }
        String status = inv.statusAsString();
        boolean finished = !RUNNING.contains(status);
        r.stdoutChars = stream(ctx, inv.standardOutputContent(), r.stdoutChars, finished, "");
        r.stderrChars = stream(ctx, inv.standardErrorContent(), r.stderrChars, finished, "stderr: ");
        if (!finished) {
            return ctx.poll();
        }
        if ("Success".equals(status)) {
            ctx.info("the SSM command succeeded");
            return PhaseResult.done();
        }
        String detail = inv.statusDetails() == null || inv.statusDetails().equals(status) ? "" : " (" + inv.statusDetails() + ")";
        return PhaseResult.fail("the SSM command ended " + status + detail + " with exit status " + inv.responseCode()
                + " (its output is above)");
    }

    private PhaseResult send(BuildContext ctx) {
        BuildRecord r = ctx.record();
        if (!r.agentOnline) {
            List<InstanceInformation> info = ctx.ssm().describeInstanceInformation(b -> b.filters(
                    f -> f.key("InstanceIds").values(r.instanceId))).instanceInformationList();
            if (info.isEmpty() || !"Online".equals(info.get(0).pingStatusAsString())) {
                if (r.polls == 0) {
                    ctx.info("waiting for the SSM agent on " + r.instanceId + " to come online");
                }
                return ctx.poll();
            }
            r.agentOnline = true;
            ctx.info("the SSM agent on " + r.instanceId + " is online");
        }
        if (r.commandSent) {
            // An earlier attempt may have sent the command and died before recording its id.
            for (Command c : ctx.ssm().listCommands(b -> b.instanceId(r.instanceId)).commands()) {
                if (comment(r.buildId).equals(c.comment())) {
                    r.commandId = c.commandId();
                    ctx.info("found command " + r.commandId + ", sent by an earlier attempt");
                    return ctx.poll();
                }
            }
        }
        BuildSpec.SsmCommand cmd = (BuildSpec.SsmCommand) ctx.spec().customisation();
        Map<String, List<String>> parameters = new java.util.LinkedHashMap<>();
        parameters.put("commands", List.of(cmd.script().replace("\r\n", "\n").split("\n", -1)));
        if (SHELL_DOCUMENTS.contains(cmd.document())) {
            long left = Math.max(60, Duration.between(ctx.now(), r.deadline()).getSeconds());
            parameters.put("executionTimeout", List.of(Long.toString(Math.min(left, 172_800))));
        }
        r.commandSent = true;
        ctx.save();
        try {
            // SendCommand takes no client token: after a lost reply the phase's retry looks the command up by
            // its comment (above) rather than letting the SDK run the customisation a second time.
            r.commandId = ctx.ssm().sendCommand(b -> b.instanceIds(r.instanceId).documentName(cmd.document())
                    .comment(comment(r.buildId)).parameters(parameters).overrideConfiguration(SingleAttempt.OVERRIDE))
                    .command().commandId();
        } catch (SsmException e) {
            if (AwsErrors.hasCode(e, "InvalidInstanceId")) {
                return PhaseResult.fail("SSM cannot reach " + r.instanceId + ": " + AwsErrors.describe(e)
                        + " (does the instance profile allow SSM, and can the instance reach the SSM endpoints?)");
            }
            throw e;
        }
        ctx.save();
        ctx.info("sent command " + r.commandId + " (" + cmd.document() + ")");
        return ctx.poll();
    }

    /** Prints the complete lines past {@code shown} characters; returns the new count of characters shown. */
    private static int stream(BuildContext ctx, String content, int shown, boolean finished, String prefix) {
        if (content == null || content.length() <= shown) {
            return shown;
        }
        String fresh = content.substring(shown);
        int end = finished ? fresh.length() : fresh.lastIndexOf('\n') + 1;
        if (end <= 0) {
            return shown;
        }
        for (String line : fresh.substring(0, end).split("\n")) {
            if (!line.isEmpty()) {
                ctx.output(prefix + line.stripTrailing());
            }
        }
        return shown + end;
    }

    @Override
    public PhaseResult cleanup(BuildContext ctx) {
        BuildRecord r = ctx.record();
        if (!ctx.failed() || r.commandId == null || r.instanceId == null) {
            return PhaseResult.done();
        }
        try {
            ctx.ssm().cancelCommand(b -> b.commandId(r.commandId).instanceIds(r.instanceId));
        } catch (SsmException e) {
            // Finished commands cannot be cancelled; the instance is terminated next anyway.
        }
        return PhaseResult.done();
    }
}
