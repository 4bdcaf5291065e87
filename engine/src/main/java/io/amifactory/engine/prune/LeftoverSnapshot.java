package io.amifactory.engine.prune;

/**
 * A snapshot whose AMI a prune deregistered without getting as far as deleting the snapshot (the process
 * died, or the deletion failed): it is marked with {@link io.amifactory.engine.Tags#PRUNED_IMAGE} and its
 * AMI no longer exists. The next prune in the region deletes it.
 */
public record LeftoverSnapshot(String snapshotId, String imageId) {
}
