package io.amifactory.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageOrderTest {

    @ParameterizedTest
    @ValueSource(strings = {"2025-06-01T10:02:11.000Z", "2025-06-01T10:02:11Z", "2024-02-29T23:59:59.123456789Z",
        "1999-12-31T00:00:00.5Z", "2025-01-01T00:00:00.120Z"})
    void theFastPathReadsWhatInstantParseReads(String text) {
        assertEquals(Instant.parse(text), ImageOrder.parseEc2Format(text));
        assertEquals(Instant.parse(text), ImageOrder.creationInstant(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-02-30T10:02:11.000Z", "2025-13-01T10:02:11Z", "2025-06-01T24:00:00Z", "2025-06-01 10:02:11Z",
        "2025-06-01T10:02:11.Z", "2025-06-01T10:02:11.0000000001Z", "2025-06-01T1x:02:11Z", "2025-06-01T10:02:11+00:00"})
    void otherShapesAreLeftToInstantParse(String text) {
        assertNull(ImageOrder.parseEc2Format(text));
    }

    @Test
    void unreadableDatesCountAsTheEpoch() {
        assertEquals(Instant.EPOCH, ImageOrder.creationInstant("yesterday"));
        assertEquals(Instant.EPOCH, ImageOrder.creationInstant("2025-02-30T10:02:11.000Z"));
        assertEquals(Instant.EPOCH, ImageOrder.creationInstant(null));
        assertEquals(Instant.parse("2025-06-01T10:02:11Z"), ImageOrder.creationInstant("2025-06-01T10:02:11+00:00"));
    }
}
