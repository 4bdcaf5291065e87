package io.amifactory.engine.track;

import io.amifactory.engine.image.Ec2Glob;
import io.amifactory.engine.image.ImageOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * One DescribeImages call that answers several tracked filter queries at once. Queries that differ only in
 * their {@code name} patterns (same owners, same other filters, same include-deprecated) are asked together,
 * every pattern a value of one {@code name} filter (EC2 ORs the values of a filter); each query then takes the
 * returned images whose name matches one of its own patterns ({@link Ec2Glob}, EC2's wildcards) and picks its
 * newest ({@link ImageOrder}), exactly as if it had been asked alone.
 *
 * <p>A query is asked alone when merging could change its answer: it has no {@code name} filter, or a pattern
 * with a backslash (an EC2 escape that local matching does not read), or merging would pass
 * {@link #MAX_FILTER_VALUES} filter values in one call.
 */
final class MergedNameQuery {
    /**
     * Filter values (all filters together) in one call. EC2 refuses more than 200 with FilterLimitExceeded
     * ("The maximum number of filter values specified on a single call is 200"; not in the API reference, seen
     * by many projects); half of that leaves room should the limit be lower somewhere.
     */
    static final int MAX_FILTER_VALUES = 100;

    private final List<ImageSource.Filters> members;
    private final List<Filter> requestFilters;

    private MergedNameQuery(List<ImageSource.Filters> members, List<Filter> requestFilters) {
        this.members = List.copyOf(members);
        this.requestFilters = List.copyOf(requestFilters);
    }

    /** The calls that answer {@code queries}: as few as the rules above allow, in a stable order. */
    static List<MergedNameQuery> plan(Collection<ImageSource.Filters> queries) {
        Map<Object, List<ImageSource.Filters>> byRest = new LinkedHashMap<>();
        List<MergedNameQuery> out = new ArrayList<>();
        for (ImageSource.Filters q : queries) {
            if (mergeable(q)) {
                byRest.computeIfAbsent(restKey(q), k -> new ArrayList<>()).add(q);
            } else {
                out.add(alone(q));
            }
        }
        for (List<ImageSource.Filters> group : byRest.values()) {
            if (group.size() == 1) {
                out.add(alone(group.get(0)));
                continue;
            }
            int room = MAX_FILTER_VALUES - otherValues(group.get(0));
            List<ImageSource.Filters> batch = new ArrayList<>();
            Set<String> patterns = new LinkedHashSet<>();
            for (ImageSource.Filters q : group) {
                Set<String> more = new LinkedHashSet<>(patterns);
                more.addAll(q.filters().get("name"));
                if (!batch.isEmpty() && more.size() > room) {
                    out.add(merged(batch, patterns));
                    batch = new ArrayList<>();
                    more = new LinkedHashSet<>(q.filters().get("name"));
                }
                batch.add(q);
                patterns = more;
            }
            out.add(batch.size() == 1 ? alone(batch.get(0)) : merged(batch, patterns));
        }
        return out;
    }

    /** The queries this call answers. */
    List<ImageSource.Filters> members() {
        return members;
    }

    /** Every member has the same owners and include-deprecated: the first one's are the call's. */
    ImageSource.Filters representative() {
        return members.get(0);
    }

    /** The call's filters, {@code state=available} added unless the queries give a state. */
    List<Filter> requestFilters() {
        return requestFilters;
    }

    /** Each member's newest image among what the call returned; empty when none of them is its. */
    Map<ImageSource.Filters, Optional<Image>> newestPerMember(List<Image> returned) {
        Map<ImageSource.Filters, Optional<Image>> out = new LinkedHashMap<>();
        if (members.size() == 1) {
            out.put(members.get(0), ImageOrder.newest(returned));
            return out;
        }
        for (ImageSource.Filters m : members) {
            List<String> own = m.filters().get("name");
            List<Image> mine = returned.stream()
                    .filter(i -> own.stream().anyMatch(p -> Ec2Glob.matches(p, i.name()))).toList();
            out.put(m, ImageOrder.newest(mine));
        }
        return out;
    }

    private static boolean mergeable(ImageSource.Filters q) {
        List<String> names = q.filters().get("name");
        return names != null && names.stream().allMatch(Ec2Glob::isPlain)
                && names.size() + otherValues(q) <= MAX_FILTER_VALUES;
    }

    /**
     * Everything but the name patterns, with value and owner order ignored (EC2 ORs values and owners, so
     * their order does not change the answer).
     */
    private static Object restKey(ImageSource.Filters q) {
        Map<String, Set<String>> rest = new TreeMap<>();
        q.filters().forEach((k, v) -> {
            if (!k.equals("name")) {
                rest.put(k, new TreeSet<>(v));
            }
        });
        return List.of(rest, new TreeSet<>(q.owners()), q.includeDeprecated());
    }

    /** Values of the filters other than name, the added state filter included. */
    private static int otherValues(ImageSource.Filters q) {
        int n = q.filters().containsKey("state") ? 0 : 1;
        for (Map.Entry<String, List<String>> e : q.filters().entrySet()) {
            if (!e.getKey().equals("name")) {
                n += e.getValue().size();
            }
        }
        return n;
    }

    private static MergedNameQuery alone(ImageSource.Filters q) {
        return new MergedNameQuery(List.of(q), filters(q, q.filters().get("name")));
    }

    private static MergedNameQuery merged(List<ImageSource.Filters> batch, Set<String> patterns) {
        return new MergedNameQuery(batch, filters(batch.get(0), new ArrayList<>(patterns)));
    }

    private static List<Filter> filters(ImageSource.Filters q, List<String> namePatterns) {
        List<Filter> filters = new ArrayList<>();
        q.filters().forEach((k, v) -> {
            if (!k.equals("name")) {
                filters.add(Filter.builder().name(k).values(v).build());
            } else {
                filters.add(Filter.builder().name(k).values(namePatterns).build());
            }
        });
        if (!q.filters().containsKey("state")) {
            filters.add(Filter.builder().name("state").values("available").build());
        }
        return filters;
    }
}
