package io.amifactory.engine.build;

import io.amifactory.engine.Tags;
import io.amifactory.engine.build.spec.BuildSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ssm.model.AutomationExecution;
import software.amazon.awssdk.services.ssm.model.DocumentDescription;
import software.amazon.awssdk.services.ssm.model.DocumentParameter;
import software.amazon.awssdk.services.ssm.model.InvalidDocumentException;
import software.amazon.awssdk.services.ssm.model.StepExecution;

/**
 * Runs an SSM Automation document that builds the AMI itself (AWS-UpdateLinuxAmi and the like, or seed 001's
 * documents), reports its steps as they progress, and takes the new AMI id from its outputs. Parameters the
 * document declares and the spec does not set are filled from the spec where the name is well known
 * (SourceAmiId, TargetAmiName, InstanceType, SubnetId, IamInstanceProfileName, AutomationAssumeRole,
 * PreUpdateScript, ...). On failure the execution is cancelled and any image it created is removed.
 */
final class AutomationPhase implements Phase {
    private static final Set<String> SUCCESS = Set.of("Success", "CompletedWithSuccess");
    private static final Set<String> FAILURE = Set.of("Failed", "TimedOut", "Cancelled", "Rejected",
            "CompletedWithFailure", "ChangeCalendarOverrideRejected", "Exited");
    private static final Pattern AMI = Pattern.compile("ami-[0-9a-f]{8,17}");

    @Override
    public String name() {
        return "automation";
    }

    /** The parameters to start the document with, or the reason it cannot run. */
    record Plan(String problem, Map<String, List<String>> parameters, boolean namesImage) {
    }

    static Plan plan(BuildContext ctx, BuildSpec.Automation a) {
        DocumentDescription doc;
        try {
            doc = ctx.ssm().describeDocument(b -> b.name(a.document())).document();
        } catch (InvalidDocumentException e) {
            return new Plan("automationDocument: there is no SSM document named '" + a.document() + "' in "
                    + ctx.record().region + " visible to this account", Map.of(), false);
        }
        if (doc.documentTypeAsString() != null && !"Automation".equals(doc.documentTypeAsString())) {
            return new Plan("automationDocument: '" + a.document() + "' is a " + doc.documentTypeAsString()
                    + " document, not an Automation document", Map.of(), false);
        }
        Map<String, DocumentParameter> declared = new LinkedHashMap<>();
        doc.parameters().forEach(p -> declared.put(p.name(), p));
        Map<String, List<String>> params = new LinkedHashMap<>();
        a.parameters().forEach((k, v) -> params.put(k, v.stream().map(ctx::render).toList()));
        List<String> unknown = new ArrayList<>();
        for (String k : params.keySet()) {
            if (!declared.isEmpty() && !declared.containsKey(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            return new Plan("automation.parameters: the document '" + a.document() + "' has no parameter(s) "
                    + String.join(", ", unknown) + " (it takes " + String.join(", ", declared.keySet()) + ")", params, false);
        }
        wellKnown(ctx, a).forEach((k, v) -> {
            if (declared.containsKey(k) && !params.containsKey(k) && v != null) {
                params.put(k, v);
            }
        });
        if (a.bootstrapUrl() != null && !declared.containsKey("PreUpdateScript")) {
            return new Plan("bootstrapUrl: the document '" + a.document() + "' has no PreUpdateScript parameter, so "
                    + "the script would not run; pass it in automation.parameters under the document's own name", params, false);
        }
        List<String> missing = new ArrayList<>();
        declared.forEach((k, p) -> {
            if (p.defaultValue() == null && !params.containsKey(k)) {
                missing.add(k);
            }
        });
        if (!missing.isEmpty()) {
            return new Plan("automationDocument: the document '" + a.document() + "' needs parameter(s) "
                    + String.join(", ", missing) + "; give them in automation.parameters", params, false);
        }
        boolean ourName = !a.parameters().containsKey("TargetAmiName") && params.containsKey("TargetAmiName");
        return new Plan(null, params, ourName);
    }

    /** Spec values under the parameter names documents commonly use. */
    private static Map<String, List<String>> wellKnown(BuildContext ctx, BuildSpec.Automation a) {
        BuildSpec spec = ctx.spec();
        BuildRecord r = ctx.record();
        BuildSpec.Instance inst = spec.instance();
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("SourceAmiId", List.of(r.source.imageId()));
        m.put("TargetAmiName", List.of(r.imageName));
        m.put("InstanceType", one(inst.type()));
        m.put("SubnetId", one(inst.subnet()));
        m.put("DestSubnetId", one(inst.subnet()));
        m.put("SecurityGroupId", inst.securityGroups().isEmpty() ? null : List.of(inst.securityGroups().get(0)));
        m.put("SecurityGroupIds", inst.securityGroups().isEmpty() ? null : inst.securityGroups());
        m.put("IamInstanceProfileName", inst.profile() == null ? null
                : List.of(inst.profile().substring(inst.profile().lastIndexOf('/') + 1)));
        m.put("KeyName", one(inst.keyPair()));
        m.put("AutomationAssumeRole", one(a.assumeRole()));
        m.put("PreUpdateScript", one(a.bootstrapUrl()));
        m.put("AmiType", List.of(r.name));
        return m;
    }

    private static List<String> one(String v) {
        return v == null ? null : List.of(v);
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildRecord r = ctx.record();
        BuildSpec.Automation a = (BuildSpec.Automation) ctx.spec().customisation();
        if (r.automationExecutionId == null) {
            Plan plan = plan(ctx, a);
            if (plan.problem() != null) {
                return PhaseResult.fail(plan.problem());
            }
            // The same token on every attempt: SSM starts the execution once even if this call is repeated.
            String token = UUID.nameUUIDFromBytes(r.buildId.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
            r.automationExecutionId = ctx.ssm().startAutomationExecution(b -> b.documentName(a.document())
                    .parameters(plan.parameters()).clientToken(token)
                    .tags(t -> t.key(Tags.BUILD_ID).value(r.buildId))).automationExecutionId();
            ctx.save();
            ctx.info("started automation " + r.automationExecutionId + " of " + a.document() + " with parameters "
                    + String.join(", ", plan.parameters().keySet()));
            return ctx.poll();
        }
        AutomationExecution exec = ctx.ssm().getAutomationExecution(b -> b.automationExecutionId(r.automationExecutionId))
                .automationExecution();
        reportSteps(ctx, exec);
        String status = exec.automationExecutionStatusAsString();
        if (SUCCESS.contains(status)) {
            r.automationFinished = true;
            String imageId = imageId(exec, a.imageIdOutput(), r.source.imageId());
            if (imageId == null) {
                return PhaseResult.fail("the automation succeeded but none of its outputs is an AMI id"
                        + (a.imageIdOutput() != null ? " (no output " + a.imageIdOutput() + ")" : "; set automation.imageIdOutput"));
            }
            r.image(r.region).imageId = imageId;
            ctx.save();
            ctx.info("the automation created " + imageId);
            return PhaseResult.done();
        }
        if (FAILURE.contains(status)) {
            r.automationFinished = true;
            rememberCreatedImage(ctx, exec);
            return PhaseResult.fail("the automation " + r.automationExecutionId + " ended " + status
                    + (exec.failureMessage() == null ? "" : ": " + exec.failureMessage()));
        }
        return ctx.poll();
    }

    @Override
    public PhaseResult cleanup(BuildContext ctx) {
        BuildRecord r = ctx.record();
        if (!ctx.failed()) {
            return PhaseResult.done();
        }
        if (r.automationExecutionId != null && !r.automationFinished) {
            AutomationExecution exec = ctx.ssm().getAutomationExecution(b -> b.automationExecutionId(r.automationExecutionId))
                    .automationExecution();
            String status = exec.automationExecutionStatusAsString();
            if (SUCCESS.contains(status) || FAILURE.contains(status)) {
                r.automationFinished = true;
                rememberCreatedImage(ctx, exec);
                if (SUCCESS.contains(status)) {
                    String id = imageId(exec, null, r.source == null ? null : r.source.imageId());
                    if (id != null && r.image(r.region).imageId == null) {
                        r.image(r.region).imageId = id;
                    }
                }
                ctx.save();
            } else {
                if (!"Cancelling".equals(status)) {
                    ctx.ssm().stopAutomationExecution(b -> b.automationExecutionId(r.automationExecutionId).type("Cancel"));
                    ctx.info("cancelling automation " + r.automationExecutionId);
                }
                return ctx.poll(); // an image step may still be finishing; wait for the end before removing
            }
        }
        return ImageRemoval.remove(ctx, r.region);
    }

    @Override
    public List<String> leftovers(BuildContext ctx) {
        List<String> out = new ArrayList<>(ImageRemoval.describe(ctx, ctx.record().region));
        if (!ctx.record().automationFinished && ctx.record().automationExecutionId != null) {
            out.add("automation execution " + ctx.record().automationExecutionId + " (still running)");
        }
        return out;
    }

    private static void reportSteps(BuildContext ctx, AutomationExecution exec) {
        BuildRecord r = ctx.record();
        for (StepExecution s : exec.stepExecutions()) {
            String key = s.stepName();
            String status = s.stepStatusAsString();
            if (key != null && status != null && !status.equals(r.automationSteps.get(key))) {
                r.automationSteps.put(key, status);
                ctx.info("step " + key + " (" + s.action() + "): " + status
                        + (s.failureMessage() == null ? "" : ": " + s.failureMessage()));
            }
        }
    }

    /** The named output, else the first AMI id among the outputs that is not the source. */
    private static String imageId(AutomationExecution exec, String output, String sourceId) {
        Map<String, List<String>> outputs = exec.outputs();
        if (output != null) {
            List<String> v = outputs.get(output);
            return v == null || v.isEmpty() ? null : firstAmi(v, sourceId);
        }
        for (List<String> values : outputs.values()) {
            String id = firstAmi(values, sourceId);
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    private static String firstAmi(List<String> values, String sourceId) {
        for (String v : values) {
            if (v != null && AMI.matcher(v.trim()).matches() && !v.trim().equals(sourceId)) {
                return v.trim();
            }
        }
        return null;
    }

    /** A failed execution may have created an image in a createImage step; remember it for the cleanup. */
    private static void rememberCreatedImage(BuildContext ctx, AutomationExecution exec) {
        BuildRecord r = ctx.record();
        for (StepExecution s : exec.stepExecutions()) {
            if (!"aws:createImage".equals(s.action()) || s.outputs() == null) {
                continue;
            }
            for (List<String> values : s.outputs().values()) {
                String id = firstAmi(values, r.source == null ? null : r.source.imageId());
                if (id != null && r.image(r.region).imageId == null) {
                    r.image(r.region).imageId = id;
                    ctx.info("the automation had created " + id + "; it will be removed");
                }
            }
        }
    }
}
