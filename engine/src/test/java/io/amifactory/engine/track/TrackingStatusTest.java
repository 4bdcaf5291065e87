package io.amifactory.engine.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackingStatusTest {
    private static LedgerEntry entry(String id) {
        return new LedgerEntry(id, "name-" + id, "2026-01-01T00:00:00.000Z", Instant.EPOCH, Instant.EPOCH, null, List.of(id));
    }

    @Test
    void rowsAreTheTrackedImagesInTheirRegionsOnly() {
        Map<String, Map<String, LedgerEntry>> ledger = new LinkedHashMap<>();
        ledger.put("removed", Map.of("us-east-1", entry("ami-old")));
        ledger.put("al2023", Map.of("us-east-1", entry("ami-1"), "ap-south-1", entry("ami-2")));
        Map<String, List<String>> tracked = new LinkedHashMap<>();
        tracked.put("rhel", List.of("eu-west-1"));
        tracked.put("al2023", List.of());

        TrackingStatus status = TrackingStatus.of(ledger, tracked, List.of("us-east-1", "eu-west-1"));

        assertEquals(List.of("rhel eu-west-1", "al2023 us-east-1", "al2023 eu-west-1"),
                status.rows().stream().map(r -> r.image() + " " + r.region()).toList(),
                "configured order; the defaults for an image without regions; a region no longer watched left out");
        assertNull(status.rows().get(0).entry(), "not checked yet");
        assertEquals("ami-1", status.rows().get(1).entry().imageId());
        assertEquals(List.of("removed"), status.noLongerTracked());
    }
}
