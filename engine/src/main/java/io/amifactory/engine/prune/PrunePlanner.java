package io.amifactory.engine.prune;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, for every selected image of one region, keep or act, with a reason. Pure: no AWS calls, no
 * clock; the same inputs always give the same plan. Cost: one hash lookup per image for usage, one sort
 * per family — O(n log n) in images, independent of how many instances or template versions there are
 * (they were folded into {@link UsageFacts} beforehand).
 *
 * <p>Reasons are checked in this order; the first that applies is the one reported: in use, keep tag,
 * pending, newest N of the family, younger than max age, shared (with keepShared), then the
 * action-specific no-ops (already deprecated / already disabled / deregistration protection).
 * Otherwise the image gets the action: failed images as {@link Reason#FAILED_IMAGE}, others as
 * {@link Reason#OLDER_THAN_MAX_AGE} or {@link Reason#NOT_NEWEST}.
 *
 * <p>Only launchable images take a "newest" place: available and not deprecated. A pending build, a
 * failed or disabled image, or a deprecated one never pushes a good image out of the newest N.
 */
public final class PrunePlanner {
    private PrunePlanner() {
    }

    /**
     * @param now          the planning time (ages, deprecation)
     * @param deprecateAt  the resolved deprecation time when the action is deprecate, else null
     * @return one decision per candidate, grouped by family (families by name), newest first within each
     */
    public static List<Decision> plan(List<PruneCandidate> candidates, UsageFacts usage, PrunePolicy policy,
            Instant now, Instant deprecateAt) {
        Map<String, List<PruneCandidate>> families = new HashMap<>();
        for (PruneCandidate c : candidates) {
            families.computeIfAbsent(c.family(), k -> new ArrayList<>()).add(c);
        }
        List<String> familyNames = new ArrayList<>(families.keySet());
        familyNames.sort(null);
        Instant youngerThan = policy.maxAge() == null ? null : now.minus(policy.maxAge());
        List<Decision> out = new ArrayList<>(candidates.size());
        for (String family : familyNames) {
            List<PruneCandidate> members = families.get(family);
            members.sort(PruneCandidate.NEWEST_FIRST);
            int place = 0;
            for (PruneCandidate c : members) {
                boolean launchable = isLaunchable(c, now);
                int rank = launchable ? ++place : 0;
                out.add(decide(c, rank, usage, policy, now, youngerThan, deprecateAt));
            }
        }
        return out;
    }

    private static Decision decide(PruneCandidate c, int rank, UsageFacts usage, PrunePolicy policy, Instant now,
            Instant youngerThan, Instant deprecateAt) {
        UsageFacts.Usage used = usage.usage(c.imageId());
        if (used != null) {
            return keep(c, Reason.IN_USE, "in use: " + used.describe());
        }
        if (c.keepTag()) {
            return keep(c, Reason.KEEP_TAG, "tagged amifactory:keep=true");
        }
        if ("pending".equals(c.state())) {
            return keep(c, Reason.PENDING, "still being created");
        }
        if (rank > 0 && rank <= policy.keepNewest()) {
            return keep(c, Reason.NEWEST, "newest " + (rank == 1 ? "" : "#" + rank + " ") + "of " + policy.keepNewest()
                    + " kept in family " + c.family());
        }
        if (youngerThan != null && c.created().isAfter(youngerThan)) {
            return keep(c, Reason.YOUNGER_THAN_MAX_AGE, "younger than " + DurationText.format(policy.maxAge()));
        }
        if (policy.keepShared() && usage.isShared(c.imageId())) {
            return keep(c, Reason.SHARED, "shared with other accounts; its use there cannot be seen from here");
        }
        switch (policy.action()) {
            case DEPRECATE -> {
                if (c.deprecatedAt() != null && deprecateAt != null && !c.deprecatedAt().isAfter(deprecateAt)) {
                    return keep(c, Reason.ALREADY_DEPRECATED, "already deprecated at " + c.deprecatedAt());
                }
            }
            case DISABLE -> {
                if ("disabled".equals(c.state())) {
                    return keep(c, Reason.ALREADY_DISABLED, "already disabled");
                }
            }
            case DEREGISTER -> {
                if (c.deregistrationProtected()) {
                    return keep(c, Reason.DEREGISTRATION_PROTECTED, "deregistration protection is on");
                }
            }
        }
        if ("failed".equals(c.state()) || "error".equals(c.state())) {
            return act(c, policy, Reason.FAILED_IMAGE, "image state " + c.state() + ": it can never be launched");
        }
        String notNewest = rank == 0
                ? notLaunchable(c, now) + ", so it does not count among the newest " + policy.keepNewest()
                : "not among the newest " + policy.keepNewest() + " of family " + c.family();
        if (youngerThan != null) {
            return act(c, policy, Reason.OLDER_THAN_MAX_AGE, notNewest + ", and older than "
                    + DurationText.format(policy.maxAge()));
        }
        return act(c, policy, Reason.NOT_NEWEST, notNewest);
    }

    static boolean isLaunchable(PruneCandidate c, Instant now) {
        return "available".equals(c.state()) && (c.deprecatedAt() == null || c.deprecatedAt().isAfter(now));
    }

    private static String notLaunchable(PruneCandidate c, Instant now) {
        if (!"available".equals(c.state())) {
            return "image state " + c.state();
        }
        return "deprecated since " + c.deprecatedAt();
    }

    private static Decision keep(PruneCandidate c, Reason reason, String detail) {
        return new Decision(c.imageId(), c.name(), c.createdText(), c.family(), null, reason, detail, c.snapshotIds());
    }

    private static Decision act(PruneCandidate c, PrunePolicy policy, Reason reason, String detail) {
        return new Decision(c.imageId(), c.name(), c.createdText(), c.family(), policy.action(), reason, detail,
                c.snapshotIds());
    }
}
