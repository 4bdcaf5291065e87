package io.amifactory.engine.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.amifactory.engine.Tags;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FamilyRuleTest {
    private final FamilyRule rule = new FamilyRule(Tags.TRACKED_IMAGE);

    @Test
    void theFamilyTagWins() {
        assertEquals("tag:amifactory:tracked-image=webserver",
                rule.familyOf("anything-2024", Map.of(Tags.TRACKED_IMAGE, "webserver")));
    }

    @Test
    void otherwiseTheNameUpToTheFirstSeparatorBeforeADigit() {
        assertEquals("name:webserver", rule.familyOf("webserver-2024-05-01T10-00", Map.of()));
        assertEquals("name:webserver", rule.familyOf("webserver_20240601", Map.of()));
        assertEquals("name:al2023-ami", rule.familyOf("al2023-ami-2023.6.20250107.0-kernel-6.1-x86_64", Map.of()));
        assertEquals("name:web-v2", rule.familyOf("web-v2-1.4.0", Map.of()));
        assertEquals("name:golden", rule.familyOf("golden", Map.of()));
        assertEquals("name:", rule.familyOf(null, Map.of()));
    }

    @Test
    void anotherTagKeyCanBeChosen() {
        FamilyRule byRole = new FamilyRule("role");
        assertEquals("tag:role=db", byRole.familyOf("web-1", Map.of("role", "db", Tags.TRACKED_IMAGE, "x")));
        assertEquals("name:web", byRole.familyOf("web-1", Map.of(Tags.TRACKED_IMAGE, "x")));
    }
}
