package io.amifactory.engine.track;

import java.time.Instant;
import java.util.List;

/**
 * What the ledger knows of one tracked image in one region.
 *
 * @param imageId     the current AMI, or null when the pair has never resolved
 * @param firstSeen   when the current AMI was first seen
 * @param lastChecked when the pair was last checked, successfully or not
 * @param lastError   the error of the last check, or null when it succeeded
 * @param history     AMI ids seen as current, most recent first, the current one included (at most
 *                    {@link Ledger#HISTORY_SIZE})
 */
public record LedgerEntry(String imageId, String imageName, String creationDate, Instant firstSeen,
        Instant lastChecked, String lastError, List<String> history) {
    public LedgerEntry {
        history = history == null ? List.of() : List.copyOf(history);
    }
}
