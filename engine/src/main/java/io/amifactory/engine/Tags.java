package io.amifactory.engine;

/**
 * The tag vocabulary users rely on (design.md, "Conventions"). Every tag the factory writes or reads is
 * named here and nowhere else, so that the orphan reaper, the pruner and the IAM policies in the docs
 * agree with what the builder writes.
 */
public final class Tags {
    public static final String PREFIX = "amifactory:";
    /** On every resource the factory creates: which build made it. */
    public static final String BUILD_ID = PREFIX + "build-id";
    /** On build instances: {@link #ROLE_BUILD_INSTANCE}. */
    public static final String ROLE = PREFIX + "role";
    public static final String ROLE_BUILD_INSTANCE = "build-instance";
    /** On build instances: ISO-8601 instant after which the reaper may terminate it. */
    public static final String EXPIRES = PREFIX + "expires";
    /** On AMIs: provenance. */
    public static final String SOURCE_IMAGE = PREFIX + "source-image";
    public static final String TRACKED_IMAGE = PREFIX + "tracked-image";
    public static final String BUILT_BY = PREFIX + "built-by";
    /** On AMIs: {@code true} protects an image from pruning. */
    public static final String KEEP = PREFIX + "keep";
    /** On SSM parameters the factory published: which AMI family they point at. */
    public static final String PUBLISHED_BY = PREFIX + "published-by";
    /**
     * On snapshots, set by the pruner just before it deregisters their AMI: that AMI's id. A snapshot that
     * still carries it once the AMI is gone was left by a prune that died between the two steps, and the
     * next prune in that region deletes it.
     */
    public static final String PRUNED_IMAGE = PREFIX + "pruned-image";

    private Tags() {
    }
}
