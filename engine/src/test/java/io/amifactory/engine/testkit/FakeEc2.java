package io.amifactory.engine.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * An in-memory EC2 that answers DescribeImages the way EC2 does for the filters the engine uses
 * ({@code name} with * and ? globs, {@code image-id}, {@code state}, {@code architecture},
 * {@code owner-alias}, {@code owner-id}, {@code tag:KEY}), with owners, deprecation and pagination.
 * Calls are recorded in {@link #log}; {@link #failNext} and {@link #latency} inject trouble.
 */
public class FakeEc2 implements Ec2Client {
    public final CallLog log;
    public final List<Image> images = new CopyOnWriteArrayList<>();
    /** Images that are deprecated (hidden unless IncludeDeprecated). */
    public final List<String> deprecated = new CopyOnWriteArrayList<>();
    private final List<Supplier<SdkException>> failures = new CopyOnWriteArrayList<>();
    private volatile Duration latency = Duration.ZERO;

    public FakeEc2(CallLog log) {
        this.log = log;
    }

    public FakeEc2 image(String id, String name, String creationDate, String ownerAlias) {
        images.add(Image.builder().imageId(id).name(name).creationDate(creationDate).state("available")
                .architecture("x86_64").imageOwnerAlias(ownerAlias).ownerId("137112412989").build());
        return this;
    }

    /** The next DescribeImages calls fail with these errors, one each. */
    public void failNext(Supplier<SdkException> error) {
        failures.add(error);
    }

    public void latency(Duration d) {
        latency = d;
    }

    @Override
    public DescribeImagesResponse describeImages(DescribeImagesRequest request) {
        log.record("describeImages");
        pause(latency);
        if (!failures.isEmpty()) {
            throw failures.remove(0).get();
        }
        List<Filter> filters = request.filters();
        List<List<Pattern>> patterns = new ArrayList<>();
        for (Filter f : filters) {
            patterns.add(f.values().stream().map(FakeEc2::glob).toList());
        }
        List<Image> matching = new ArrayList<>();
        for (Image i : images) {
            if (matches(i, request, filters, patterns)) {
                matching.add(i);
            }
        }
        int start = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
        int size = request.maxResults() == null ? matching.size() : request.maxResults();
        int end = Math.min(matching.size(), start + size);
        return DescribeImagesResponse.builder().images(matching.subList(start, end))
                .nextToken(end < matching.size() ? String.valueOf(end) : null).build();
    }

    private boolean matches(Image i, DescribeImagesRequest r, List<Filter> filters, List<List<Pattern>> patterns) {
        if (!r.imageIds().isEmpty() && !r.imageIds().contains(i.imageId())) {
            return false;
        }
        if (!r.owners().isEmpty() && r.owners().stream().noneMatch(o -> o.equals(i.ownerId()) || o.equals(i.imageOwnerAlias()))) {
            return false;
        }
        if (deprecated.contains(i.imageId()) && !Boolean.TRUE.equals(r.includeDeprecated())) {
            return false;
        }
        for (int n = 0; n < filters.size(); n++) {
            Filter f = filters.get(n);
            String value = switch (f.name()) {
                case "name" -> i.name();
                case "image-id" -> i.imageId();
                case "state" -> i.stateAsString();
                case "architecture" -> i.architectureAsString();
                case "owner-alias" -> i.imageOwnerAlias();
                case "owner-id" -> i.ownerId();
                default -> {
                    if (f.name().startsWith("tag:")) {
                        yield i.tags().stream().filter(t -> t.key().equals(f.name().substring(4)))
                                .map(Tag::value).findFirst().orElse(null);
                    }
                    throw new UnsupportedOperationException("FakeEc2 does not know filter " + f.name());
                }
            };
            if (value == null || patterns.get(n).stream().noneMatch(p -> p.matcher(value).matches())) {
                return false;
            }
        }
        return true;
    }

    static Pattern glob(String g) {
        StringBuilder b = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> b.append(".*");
                case '?' -> b.append('.');
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString());
    }

    static void pause(Duration d) {
        if (!d.isZero()) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String serviceName() {
        return "ec2";
    }

    @Override
    public void close() {
    }

    /** Convenience for tests that need a map view. */
    public Map<String, Image> byId() {
        Map<String, Image> m = new java.util.HashMap<>();
        images.forEach(i -> m.put(i.imageId(), i));
        return m;
    }
}
