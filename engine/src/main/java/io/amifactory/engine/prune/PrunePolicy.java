package io.amifactory.engine.prune;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.amifactory.engine.Tags;
import java.time.Duration;
import java.util.Objects;

/**
 * What to keep and what to do with the rest. An image is kept when any of these holds: it is in use;
 * it is tagged {@code amifactory:keep=true}; it is still being created; it is one of the newest
 * {@code keepNewest} launchable images of its family; it is younger than {@code maxAge}; or, with
 * {@code keepShared}, it is shared with another account. Everything else gets {@code action}.
 *
 * @param keepNewest  newest launchable images to keep per family; 0 only when asked for explicitly
 * @param maxAge      images younger than this are kept; null: age does not protect
 * @param action      what happens to the others
 * @param deprecateAt when to deprecate (only for {@link PruneAction#DEPRECATE})
 * @param family      how images are grouped into families
 * @param keepShared  keep images shared with other accounts, organizations or the public, whose use
 *                    there cannot be seen from this account
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"keep", "maxAge", "action", "familyTag", "keepShared"})
public record PrunePolicy(int keepNewest, Duration maxAge, PruneAction action, DeprecationTime deprecateAt,
        FamilyRule family, boolean keepShared) {

    public static final int DEFAULT_KEEP = 1;

    public PrunePolicy {
        if (keepNewest < 0) {
            throw new IllegalArgumentException("keepNewest must be 0 or more");
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge must be positive");
        }
        Objects.requireNonNull(action, "action");
        if (action == PruneAction.DEPRECATE && deprecateAt == null) {
            deprecateAt = DeprecationTime.NOW;
        }
        if (action != PruneAction.DEPRECATE) {
            deprecateAt = null;
        }
        family = family == null ? new FamilyRule(Tags.TRACKED_IMAGE) : family;
    }

    /** Keep the newest {@code keepNewest} per family and deregister the rest (snapshots deleted). */
    public static PrunePolicy keepNewest(int keepNewest) {
        return new PrunePolicy(keepNewest, null, PruneAction.DEREGISTER, null, null, false);
    }

    @JsonProperty("keep")
    public int keepNewest() {
        return keepNewest;
    }

    @JsonIgnore
    public Duration maxAge() {
        return maxAge;
    }

    @JsonProperty("maxAge")
    public String maxAgeText() {
        return DurationText.format(maxAge);
    }

    @JsonIgnore
    public DeprecationTime deprecateAt() {
        return deprecateAt;
    }

    @JsonIgnore
    public FamilyRule family() {
        return family;
    }

    @JsonProperty("familyTag")
    public String familyTag() {
        return family.tagKey();
    }
}
