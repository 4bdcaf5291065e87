package io.amifactory.engine.prune;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * What happened to one image the plan acted on.
 *
 * @param deletedSnapshots snapshots deleted after deregistering
 * @param keptSnapshots    snapshots left because another image still uses them (EC2 refuses to delete
 *                         those; not a failure)
 * @param error            why it failed, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionResult(String imageId, String name, PruneAction action, Status status,
        List<String> deletedSnapshots, List<String> keptSnapshots, String error) {

    public enum Status {
        DONE, FAILED;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ActionResult {
        deletedSnapshots = deletedSnapshots == null ? List.of() : List.copyOf(deletedSnapshots);
        keptSnapshots = keptSnapshots == null ? List.of() : List.copyOf(keptSnapshots);
    }
}
