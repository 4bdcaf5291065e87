package io.amifactory.engine.prune;

import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.aws.AwsErrors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsResponse;
import software.amazon.awssdk.services.autoscaling.model.DescribeLaunchConfigurationsResponse;
import software.amazon.awssdk.services.autoscaling.model.LaunchConfiguration;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplatesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.DescribeParametersResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterMetadata;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;

/**
 * Reads everything in a region that can reference an AMI and folds it into {@link UsageFacts}:
 * <ul>
 *   <li>instances in every state but terminated (pending, running, shutting-down, stopping, stopped);</li>
 *   <li>auto scaling groups: their launch configuration, their launch template at the version they
 *       ask for ($Default, $Latest or a number), the launch templates and image overrides of a
 *       mixed-instances policy;</li>
 *   <li>every launch configuration, attached to a group or not;</li>
 *   <li>every version of every launch template, not only $Default and $Latest: any of them can be
 *       launched or rolled back to;</li>
 *   <li>SSM parameters: those the factory published (tagged {@code amifactory:published-by}), those the
 *       user names, and those that launch templates use through {@code resolve:ssm:}.</li>
 * </ul>
 * Every list is read to its last page. A failure to read any of them is an error for the region: an
 * incomplete picture of what is in use must never lead to a deletion.
 */
final class UsageCollector {
    private static final List<String> LIVE_STATES = List.of("pending", "running", "shutting-down", "stopping", "stopped");
    private static final String SSM_PREFIX = "resolve:ssm:";
    /** Launch-template versions are read per template; a few templates at a time keeps big accounts quick. */
    private static final int TEMPLATE_READERS = 4;
    private static final int GET_PARAMETERS_BATCH = 10;

    private final ClientSource clients;

    UsageCollector(ClientSource clients) {
        this.clients = clients;
    }

    /**
     * @param inUseParameters parameter names, or paths ending in '/' for all parameters under them
     * @param warnings        receives notes that do not stop the plan (a listed parameter that does not exist)
     */
    UsageFacts collect(String region, List<String> inUseParameters, List<String> warnings) {
        UsageFacts.Builder facts = UsageFacts.builder();
        Map<String, List<String>> parameterRefs = new LinkedHashMap<>();
        Templates templates = readTemplates(region, parameterRefs);
        facts.scanned("launchTemplates", templates.byId.size());
        facts.scanned("launchTemplateVersions", templates.versions.size());

        readInstances(region, facts);
        readAutoScaling(region, templates, facts, parameterRefs);
        for (TemplateVersion v : templates.versions) {
            if (v.imageId != null && !v.imageId.startsWith(SSM_PREFIX)) {
                facts.reference(v.imageId, "launch template " + v.templateName + " version " + v.version);
            }
        }
        readParameters(region, inUseParameters, parameterRefs, facts, warnings);
        return facts.build();
    }

    private void readInstances(String region, UsageFacts.Builder facts) {
        Ec2Client ec2 = clients.ec2(region);
        int n = 0;
        for (DescribeInstancesResponse page : ec2.describeInstancesPaginator(r -> r
                .filters(Filter.builder().name("instance-state-name").values(LIVE_STATES).build())
                .maxResults(1000))) {
            for (Reservation reservation : page.reservations()) {
                for (Instance i : reservation.instances()) {
                    n++;
                    facts.reference(i.imageId(), "instance " + i.instanceId() + " (" + i.state().nameAsString() + ")");
                }
            }
        }
        facts.scanned("instances", n);
    }

    // ---- launch templates

    /** One launch template version's AMI (or resolve:ssm: reference). */
    private record TemplateVersion(String templateId, String templateName, long version, String imageId) {
    }

    /** Every template and version, indexed so that auto scaling group references can be resolved. */
    private static final class Templates {
        final Map<String, LaunchTemplate> byId = new LinkedHashMap<>();
        final Map<String, String> idByName = new HashMap<>();
        final Map<String, Map<Long, String>> imageByVersion = new HashMap<>();
        final List<TemplateVersion> versions = new ArrayList<>();

        /** The AMI a template reference launches, or null if the template or version does not exist. */
        String imageFor(LaunchTemplateSpecification spec) {
            String id = spec.launchTemplateId() != null ? spec.launchTemplateId() : idByName.get(spec.launchTemplateName());
            LaunchTemplate t = id == null ? null : byId.get(id);
            if (t == null) {
                return null;
            }
            return imageByVersion.getOrDefault(id, Map.of()).get(versionNumber(t, spec.version()));
        }

        static long versionNumber(LaunchTemplate t, String version) {
            if (version == null || version.isBlank() || "$Default".equals(version)) {
                return t.defaultVersionNumber();
            }
            if ("$Latest".equals(version)) {
                return t.latestVersionNumber();
            }
            try {
                return Long.parseLong(version.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        String nameOf(LaunchTemplateSpecification spec) {
            if (spec.launchTemplateName() != null) {
                return spec.launchTemplateName();
            }
            LaunchTemplate t = byId.get(spec.launchTemplateId());
            return t == null ? spec.launchTemplateId() : t.launchTemplateName();
        }
    }

    private Templates readTemplates(String region, Map<String, List<String>> parameterRefs) {
        Ec2Client ec2 = clients.ec2(region);
        Templates templates = new Templates();
        for (DescribeLaunchTemplatesResponse page : ec2.describeLaunchTemplatesPaginator(r -> r.maxResults(200))) {
            for (LaunchTemplate t : page.launchTemplates()) {
                templates.byId.put(t.launchTemplateId(), t);
                templates.idByName.put(t.launchTemplateName(), t.launchTemplateId());
            }
        }
        if (templates.byId.isEmpty()) {
            return templates;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(TEMPLATE_READERS, templates.byId.size()), r -> {
            Thread t = new Thread(r, "amifactory-template-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<TemplateVersion>>> futures = new ArrayList<>();
            for (LaunchTemplate t : templates.byId.values()) {
                futures.add(pool.submit(() -> readVersions(ec2, t)));
            }
            for (Future<List<TemplateVersion>> f : futures) {
                for (TemplateVersion v : f.get()) {
                    templates.versions.add(v);
                    if (v.imageId != null) {
                        templates.imageByVersion.computeIfAbsent(v.templateId, k -> new HashMap<>()).put(v.version, v.imageId);
                        if (v.imageId.startsWith(SSM_PREFIX)) {
                            parameterRefs.computeIfAbsent(v.imageId.substring(SSM_PREFIX.length()), k -> new ArrayList<>())
                                    .add("launch template " + v.templateName + " version " + v.version);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            AwsErrors.throwIfInterruption(e, "reading launch templates");
            throw new IllegalStateException(e); // not reached: an InterruptedException is an interruption
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return templates;
    }

    private static List<TemplateVersion> readVersions(Ec2Client ec2, LaunchTemplate t) {
        List<TemplateVersion> out = new ArrayList<>();
        try {
            for (DescribeLaunchTemplateVersionsResponse page : ec2.describeLaunchTemplateVersionsPaginator(r -> r
                    .launchTemplateId(t.launchTemplateId()).maxResults(200))) {
                for (LaunchTemplateVersion v : page.launchTemplateVersions()) {
                    String image = v.launchTemplateData() == null ? null : v.launchTemplateData().imageId();
                    out.add(new TemplateVersion(t.launchTemplateId(), t.launchTemplateName(), v.versionNumber(), image));
                }
            }
        } catch (SdkException e) {
            String code = AwsErrors.code(e);
            if (code != null && code.startsWith("InvalidLaunchTemplate") && code.contains("NotFound")) {
                return List.of(); // deleted since it was listed: it references nothing any more
            }
            throw e;
        }
        return out;
    }

    // ---- auto scaling

    private void readAutoScaling(String region, Templates templates, UsageFacts.Builder facts,
            Map<String, List<String>> parameterRefs) {
        AutoScalingClient asg = clients.autoScaling(region);
        Map<String, List<String>> groupsByConfiguration = new HashMap<>();
        int groups = 0;
        for (DescribeAutoScalingGroupsResponse page : asg.describeAutoScalingGroupsPaginator(r -> r.maxRecords(100))) {
            for (AutoScalingGroup g : page.autoScalingGroups()) {
                groups++;
                String by = "auto scaling group " + g.autoScalingGroupName();
                if (g.launchConfigurationName() != null) {
                    groupsByConfiguration.computeIfAbsent(g.launchConfigurationName(), k -> new ArrayList<>())
                            .add(g.autoScalingGroupName());
                }
                if (g.launchTemplate() != null) {
                    referenceTemplate(templates, g.launchTemplate(), by, facts);
                }
                if (g.mixedInstancesPolicy() != null && g.mixedInstancesPolicy().launchTemplate() != null) {
                    var lt = g.mixedInstancesPolicy().launchTemplate();
                    if (lt.launchTemplateSpecification() != null) {
                        referenceTemplate(templates, lt.launchTemplateSpecification(), by, facts);
                    }
                    for (LaunchTemplateOverrides o : lt.overrides()) {
                        if (o.launchTemplateSpecification() != null) {
                            referenceTemplate(templates, o.launchTemplateSpecification(), by + " (override)", facts);
                        }
                        if (o.imageId() != null) {
                            referenceImageOrParameter(o.imageId(), by + " (image override)", facts, parameterRefs);
                        }
                    }
                }
            }
        }
        facts.scanned("autoScalingGroups", groups);
        int configurations = 0;
        for (DescribeLaunchConfigurationsResponse page : asg.describeLaunchConfigurationsPaginator(r -> r.maxRecords(100))) {
            for (LaunchConfiguration lc : page.launchConfigurations()) {
                configurations++;
                List<String> users = groupsByConfiguration.get(lc.launchConfigurationName());
                String by = "launch configuration " + lc.launchConfigurationName()
                        + (users == null ? "" : " (auto scaling group " + String.join(", ", users) + ")");
                referenceImageOrParameter(lc.imageId(), by, facts, parameterRefs);
            }
        }
        facts.scanned("launchConfigurations", configurations);
    }

    private static void referenceTemplate(Templates templates, LaunchTemplateSpecification spec, String by,
            UsageFacts.Builder facts) {
        String image = templates.imageFor(spec);
        if (image != null && !image.startsWith(SSM_PREFIX)) {
            String version = spec.version() == null ? "$Default" : spec.version();
            facts.reference(image, by + " (launch template " + templates.nameOf(spec) + " " + version + ")");
        }
    }

    private static void referenceImageOrParameter(String imageId, String by, UsageFacts.Builder facts,
            Map<String, List<String>> parameterRefs) {
        if (imageId == null) {
            return;
        }
        if (imageId.startsWith(SSM_PREFIX)) {
            parameterRefs.computeIfAbsent(imageId.substring(SSM_PREFIX.length()), k -> new ArrayList<>()).add(by);
        } else {
            facts.reference(imageId, by);
        }
    }

    // ---- SSM parameters

    private void readParameters(String region, List<String> inUseParameters, Map<String, List<String>> parameterRefs,
            UsageFacts.Builder facts, List<String> warnings) {
        SsmClient ssm = clients.ssm(region);
        // name (or name:version / name:label selector) -> what refers to it
        Map<String, String> wanted = new LinkedHashMap<>();
        for (DescribeParametersResponse page : ssm.describeParametersPaginator(r -> r
                .parameterFilters(ParameterStringFilter.builder().key("tag:" + Tags.PUBLISHED_BY).build())
                .maxResults(50))) {
            for (ParameterMetadata p : page.parameters()) {
                wanted.putIfAbsent(p.name(), "SSM parameter " + p.name() + " (published by the factory)");
            }
        }
        List<String> listed = new ArrayList<>();
        int n = 0;
        for (String name : inUseParameters) {
            if (name.endsWith("/")) {
                String path = name.length() > 1 ? name.substring(0, name.length() - 1) : name;
                for (GetParametersByPathResponse page : ssm.getParametersByPathPaginator(r -> r.path(path).recursive(true))) {
                    for (Parameter p : page.parameters()) {
                        n++;
                        facts.reference(p.value(), "SSM parameter " + p.name() + " (listed in use)");
                    }
                }
            } else {
                listed.add(name);
                wanted.putIfAbsent(name, "SSM parameter " + name + " (listed in use)");
            }
        }
        parameterRefs.forEach((selector, users) -> wanted.putIfAbsent(selector,
                "SSM parameter " + selector + " (" + String.join(", ", users) + ")"));
        List<String> names = new ArrayList<>(wanted.keySet());
        for (int i = 0; i < names.size(); i += GET_PARAMETERS_BATCH) {
            List<String> batch = names.subList(i, Math.min(names.size(), i + GET_PARAMETERS_BATCH));
            GetParametersResponse answer = ssm.getParameters(r -> r.names(batch).withDecryption(false));
            for (Parameter p : answer.parameters()) {
                n++;
                String selector = p.selector() != null && !p.selector().isEmpty() ? p.name() + p.selector() : p.name();
                String by = wanted.getOrDefault(selector, wanted.getOrDefault(p.name(), "SSM parameter " + p.name()));
                facts.reference(p.value(), by);
            }
            for (String missing : answer.invalidParameters()) {
                if (listed.contains(missing)) {
                    warnings.add(region + ": in-use parameter " + missing + " does not exist");
                }
            }
        }
        facts.scanned("parameters", n);
    }
}
