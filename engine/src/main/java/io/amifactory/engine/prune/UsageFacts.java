package io.amifactory.engine.prune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which AMIs are referenced, and by what, in one region: indexed by image id so that the planner asks
 * one hash lookup per image however many instances and template versions there are. Only the first
 * few references of an image are kept (for the reason text) plus a count.
 */
public final class UsageFacts {
    /** References kept per image for the reason text; the rest are only counted. */
    static final int EXAMPLES = 3;

    private final Map<String, Usage> byImage;
    private final Set<String> shared;
    private final Map<String, Integer> scanned;

    private UsageFacts(Map<String, Usage> byImage, Set<String> shared, Map<String, Integer> scanned) {
        this.byImage = byImage;
        this.shared = shared;
        this.scanned = scanned;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static UsageFacts none() {
        return builder().build();
    }

    /** How an image is used, or null when nothing references it. */
    public Usage usage(String imageId) {
        return byImage.get(imageId);
    }

    /** Images with launch permissions for others (only filled when the policy keeps shared images). */
    public boolean isShared(String imageId) {
        return shared.contains(imageId);
    }

    /** Number of referenced images. */
    public int referencedImages() {
        return byImage.size();
    }

    /** What was read to build these facts: instances, launchTemplateVersions, ... → count. */
    public Map<String, Integer> scanned() {
        return scanned;
    }

    /** A copy of these facts that also knows which images are shared. */
    public UsageFacts withShared(Set<String> sharedImages) {
        Set<String> all = new HashSet<>(shared);
        all.addAll(sharedImages);
        return new UsageFacts(byImage, Collections.unmodifiableSet(all), scanned);
    }

    /** The references to one image: the first few in full, and how many there are. */
    public record Usage(int count, List<String> examples) {
        public String describe() {
            String text = String.join(", ", examples);
            return count > examples.size() ? text + " and " + (count - examples.size()) + " more" : text;
        }
    }

    /** Collects references as they are read, page by page. Not thread-safe; one per region. */
    public static final class Builder {
        private final Map<String, MutableUsage> byImage = new HashMap<>();
        private final Set<String> shared = new HashSet<>();
        private final Map<String, Integer> scanned = new LinkedHashMap<>();

        /** Records that {@code by} (e.g. "instance i-0abc (running)") references {@code imageId}. */
        public Builder reference(String imageId, String by) {
            if (imageId == null || !imageId.startsWith("ami-")) {
                return this;
            }
            MutableUsage u = byImage.computeIfAbsent(imageId, k -> new MutableUsage());
            u.count++;
            if (u.examples.size() < EXAMPLES) {
                u.examples.add(by);
            }
            return this;
        }

        public Builder shared(String imageId) {
            shared.add(imageId);
            return this;
        }

        /** Counts one more resource of {@code kind} read (for the plan's "scanned" summary). */
        public Builder scanned(String kind, int n) {
            scanned.merge(kind, n, Integer::sum);
            return this;
        }

        public UsageFacts build() {
            Map<String, Usage> frozen = new HashMap<>(byImage.size() * 2);
            byImage.forEach((k, v) -> frozen.put(k, new Usage(v.count, List.copyOf(v.examples))));
            return new UsageFacts(Collections.unmodifiableMap(frozen), Collections.unmodifiableSet(new HashSet<>(shared)),
                    Collections.unmodifiableMap(new LinkedHashMap<>(scanned)));
        }
    }

    private static final class MutableUsage {
        int count;
        final List<String> examples = new ArrayList<>(1);
    }
}
