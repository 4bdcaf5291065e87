package io.amifactory.engine.track;

import io.amifactory.engine.aws.AwsIds;
import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.image.ImageOrder;
import io.amifactory.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * Answers one cycle — which AMI is current for every (tracked image, region) pair — with the fewest
 * calls: per region (and per role), GetParameters for ten distinct parameter names at a time, each
 * distinct DescribeImages query once — and queries that differ only in their name patterns in one call
 * ({@link MergedNameQuery}) — every page followed, and at most one DescribeImages per 200
 * parameter AMIs not seen before, to learn their name and creation date. Regions run in parallel, at
 * most {@code parallelism} at a time; within a region calls run one after the other, which keeps the
 * per-region request rate polite. A failure is reported for the pairs it concerns and nothing else.
 */
final class UpstreamResolver {
    static final int PARAMETERS_PER_CALL = 10;
    static final int IMAGES_PER_PAGE = 1000;
    static final int IDS_PER_LOOKUP = 200;
    private static final Pattern JSON_IMAGE_ID = Pattern.compile("\"image_id\"\\s*:\\s*\"(ami-[0-9a-f]{8,17})\"");

    /** Details of an AMI id already known (from the ledger), so that it needs no lookup. */
    record KnownImage(String imageName, String creationDate) {
    }

    /** One pair to resolve. */
    record Pair(TrackedImage image, String region) {
    }

    private record Group(String roleArn, String externalId, String region) {
    }

    private final ClientSource clients;
    private final int parallelism;
    private final ProgressListener progress;

    UpstreamResolver(ClientSource clients, int parallelism, ProgressListener progress) {
        this.clients = Objects.requireNonNull(clients);
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.parallelism = parallelism;
        this.progress = progress;
    }

    /** Resolves every pair; the result has one entry per pair, in the order given. */
    List<Resolution> resolve(List<Pair> pairs, Function<String, KnownImage> known) {
        Map<Group, List<Pair>> groups = new LinkedHashMap<>();
        for (Pair p : pairs) {
            groups.computeIfAbsent(new Group(p.image().roleArn(), p.image().externalId(), p.region()),
                    g -> new ArrayList<>()).add(p);
        }
        Map<Pair, Resolution> results = new HashMap<>();
        if (groups.isEmpty()) {
            return List.of();
        }
        if (groups.size() == 1) {
            Map.Entry<Group, List<Pair>> only = groups.entrySet().iterator().next();
            results.putAll(resolveGroup(only.getKey(), only.getValue(), known));
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, groups.size()), r -> {
                Thread t = new Thread(r, "amifactory-resolve");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Map<Pair, Resolution>>> futures = new ArrayList<>();
                groups.forEach((g, ps) -> futures.add(pool.submit(() -> resolveGroup(g, ps, known))));
                for (Future<Map<Pair, Resolution>> f : futures) {
                    results.putAll(f.get());
                }
            } catch (InterruptedException e) {
                AwsErrors.throwIfInterruption(e, "checking tracked images");
                throw new IllegalStateException(e); // not reached: an InterruptedException is an interruption
            } catch (ExecutionException e) {
                AwsErrors.throwIfInterruption(e.getCause(), "checking tracked images");
                throw new IllegalStateException("resolving images failed: " + e.getCause(), e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        List<Resolution> out = new ArrayList<>(pairs.size());
        for (Pair p : pairs) {
            out.add(results.get(p));
        }
        return out;
    }

    private Map<Pair, Resolution> resolveGroup(Group g, List<Pair> pairs, Function<String, KnownImage> known) {
        ClientSource source = clients.forRole(g.roleArn(), g.externalId());
        Map<String, Outcome> byParameter = new LinkedHashMap<>();
        Map<ImageSource.Filters, Outcome> byQuery = new LinkedHashMap<>();
        for (Pair p : pairs) {
            if (p.image().source() instanceof ImageSource.Parameter param) {
                byParameter.putIfAbsent(param.path(), null);
            } else {
                byQuery.putIfAbsent((ImageSource.Filters) p.image().source(), null);
            }
        }
        if (!byParameter.isEmpty()) {
            readParameters(source.ssm(g.region()), byParameter);
        }
        if (!byQuery.isEmpty()) {
            Ec2Client ec2 = source.ec2(g.region());
            for (MergedNameQuery call : MergedNameQuery.plan(byQuery.keySet())) {
                byQuery.putAll(newest(ec2, call));
            }
        }
        describeUnknown(source, g.region(), byParameter, known);

        Map<Pair, Resolution> out = new HashMap<>();
        for (Pair p : pairs) {
            Outcome o = p.image().source() instanceof ImageSource.Parameter param
                    ? byParameter.get(param.path()) : byQuery.get((ImageSource.Filters) p.image().source());
            String name = p.image().name();
            out.put(p, o.error != null ? Resolution.failed(name, g.region(), o.error)
                    : new Resolution(name, g.region(), o.imageId, o.imageName, o.creationDate, null));
        }
        return out;
    }

    /** The answer for one parameter or query; mutable while the group is being resolved. */
    private static final class Outcome {
        String imageId;
        String imageName;
        String creationDate;
        String error;

        static Outcome failed(String error) {
            Outcome o = new Outcome();
            o.error = error;
            return o;
        }

        static Outcome image(String id, String name, String creationDate) {
            Outcome o = new Outcome();
            o.imageId = id;
            o.imageName = name;
            o.creationDate = creationDate;
            return o;
        }
    }

    // ---- SSM parameters

    private void readParameters(SsmClient ssm, Map<String, Outcome> byParameter) {
        List<String> names = new ArrayList<>(byParameter.keySet());
        for (int i = 0; i < names.size(); i += PARAMETERS_PER_CALL) {
            List<String> batch = names.subList(i, Math.min(names.size(), i + PARAMETERS_PER_CALL));
            try {
                readBatch(ssm, batch, byParameter);
            } catch (SdkException e) {
                if (batch.size() > 1 && isRequestSpecific(e)) {
                    // One name the caller may not read (or SSM rejects) fails the whole call: ask for each
                    // alone so that the others still resolve.
                    for (String name : batch) {
                        try {
                            readBatch(ssm, List.of(name), byParameter);
                        } catch (SdkException single) {
                            byParameter.put(name, Outcome.failed(describe(single)));
                        }
                    }
                } else {
                    batch.forEach(name -> byParameter.put(name, Outcome.failed(describe(e))));
                }
            }
        }
    }

    private static void readBatch(SsmClient ssm, List<String> names, Map<String, Outcome> byParameter) {
        GetParametersResponse r = ssm.getParameters(b -> b.names(names));
        for (Parameter p : r.parameters()) {
            String id = amiIdOf(p.value());
            byParameter.put(p.name(), id != null ? Outcome.image(id, null, null)
                    : Outcome.failed("parameter value is not an AMI id: '" + abbreviate(p.value()) + "'"));
        }
        for (String invalid : r.invalidParameters()) {
            byParameter.put(invalid, Outcome.failed("parameter not found: " + invalid));
        }
        for (String n : names) {
            if (byParameter.get(n) == null) {
                byParameter.put(n, Outcome.failed("parameter not returned by SSM: " + n));
            }
        }
    }

    /**
     * The AMI id in a parameter value: the value itself, or the {@code image_id} of a JSON value such as
     * the ECS-optimized parameters ({@code {"image_id":"ami-...","image_name":...}}).
     */
    static String amiIdOf(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (AwsIds.IMAGE_ID.matcher(v).matches()) {
            return v;
        }
        if (v.startsWith("{")) {
            java.util.regex.Matcher m = JSON_IMAGE_ID.matcher(v);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    // ---- DescribeImages

    /** Asks one (possibly merged) query, every page, and gives each query it stands for its newest image. */
    private Map<ImageSource.Filters, Outcome> newest(Ec2Client ec2, MergedNameQuery call) {
        Map<ImageSource.Filters, Outcome> out = new LinkedHashMap<>();
        ImageSource.Filters shape = call.representative();
        try {
            List<Image> all = new ArrayList<>();
            String token = null;
            do {
                DescribeImagesRequest.Builder req = DescribeImagesRequest.builder()
                        .filters(call.requestFilters()).maxResults(IMAGES_PER_PAGE).nextToken(token);
                if (!shape.owners().isEmpty()) {
                    req.owners(shape.owners());
                }
                if (shape.includeDeprecated()) {
                    req.includeDeprecated(true);
                }
                DescribeImagesResponse page = ec2.describeImages(req.build());
                all.addAll(page.images());
                token = page.nextToken();
            } while (token != null && !token.isEmpty());
            call.newestPerMember(all).forEach((query, newest) -> out.put(query,
                    newest.map(i -> Outcome.image(i.imageId(), i.name(), i.creationDate()))
                            .orElseGet(() -> Outcome.failed("no image matches " + query.describe()))));
        } catch (SdkException e) {
            call.members().forEach(query -> out.put(query, Outcome.failed(describe(e))));
        }
        return out;
    }

    /** Fills in name and creation date of parameter AMIs; a failure here leaves them blank, no error. */
    private void describeUnknown(ClientSource source, String region, Map<String, Outcome> byParameter,
            Function<String, KnownImage> known) {
        Set<String> unknown = new LinkedHashSet<>();
        for (Outcome o : byParameter.values()) {
            if (o.error != null) {
                continue;
            }
            KnownImage k = known.apply(o.imageId);
            if (k != null) {
                o.imageName = k.imageName();
                o.creationDate = k.creationDate();
            } else {
                unknown.add(o.imageId);
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(unknown);
        Map<String, Image> found = new HashMap<>();
        Ec2Client ec2 = source.ec2(region);
        for (int i = 0; i < ids.size(); i += IDS_PER_LOOKUP) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IDS_PER_LOOKUP));
            try {
                // A filter, not ImageIds: an id that no longer exists must not fail the whole call.
                ec2.describeImages(b -> b.filters(Filter.builder().name("image-id").values(chunk).build())
                        .includeDeprecated(true)).images().forEach(img -> found.put(img.imageId(), img));
            } catch (SdkException e) {
                progress.warn(region + ": cannot read names of " + chunk.size() + " AMI(s): " + describe(e));
            }
        }
        for (Outcome o : byParameter.values()) {
            Image img = o.error == null && o.imageName == null ? found.get(o.imageId) : null;
            if (img != null) {
                o.imageName = img.name();
                o.creationDate = img.creationDate();
            }
        }
    }

    // ---- errors

    /** A client error about this request (not throttling, not the service being down). */
    private static boolean isRequestSpecific(SdkException e) {
        return e instanceof AwsServiceException s && s.statusCode() >= 400 && s.statusCode() < 500
                && !s.isThrottlingException();
    }

    /**
     * What a pair records for a failed call. An interrupt is no pair's failure (and every later call would fail
     * the same way at once): it ends the whole check, and the ledger keeps what it had.
     */
    static String describe(SdkException e) {
        AwsErrors.throwIfInterruption(e, "checking tracked images");
        return (AwsErrors.isThrottling(e) ? "throttled beyond retries: " : "") + abbreviate(AwsErrors.describe(e));
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }
}
