package io.amifactory.engine.share;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What happened in one region: the AMI, what was added or removed, and the permissions it has now as
 * EC2 reports them (read back after the change).
 *
 * @param snapshotPermissions for each snapshot of the AMI, the accounts with create-volume permission
 *                            (only when snapshots were part of the request)
 * @param error               why the change failed in this region, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegionShare(String region, String imageId, String imageName, Status status, Grantees added,
        Grantees removed, Grantees launchPermissions, Map<String, Set<String>> snapshotPermissions,
        List<String> warnings, String error) {

    public enum Status {
        /** Permissions were added or removed. */
        CHANGED,
        /** Everything asked for was already so; no change was made. */
        UNCHANGED,
        /** The change failed; {@link #error} says why. */
        FAILED;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RegionShare {
        snapshotPermissions = snapshotPermissions == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(snapshotPermissions));
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
