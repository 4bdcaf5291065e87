package io.amifactory.engine.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.Tags;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.input.InputNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PruneRequestTest {
    static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    static PruneRequest parse(String yaml) {
        return PruneRequest.parse(InputNode.parse("prune.yaml", yaml), List.of("us-east-1"), NOW);
    }

    static String error(String yaml) {
        return assertThrows(InputException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void defaultsAreKeepOneDeregisterFamilyByTrackedImageTag() {
        PruneRequest r = parse("name: web-*\n");
        assertEquals(1, r.policy().keepNewest());
        assertEquals(PruneAction.DEREGISTER, r.policy().action());
        assertNull(r.policy().maxAge());
        assertEquals(Tags.TRACKED_IMAGE, r.policy().family().tagKey());
        assertEquals(List.of("us-east-1"), r.regions());
        assertEquals(List.of("self"), r.query().owners());
    }

    @Test
    void readsEveryField() {
        PruneRequest r = parse("""
                tags: {amifactory:tracked-image: web}
                regions: [eu-west-1, us-east-1, eu-west-1]
                keep: 0
                maxAge: 30d
                action: deprecate
                deprecateAt: 7d
                familyTag: team
                keepShared: true
                inUseParameters: [/prod/web/ami, /apps/]
                """);
        assertEquals(Map.of("amifactory:tracked-image", "web"), r.query().tags());
        assertEquals(List.of("eu-west-1", "us-east-1"), r.regions());
        assertEquals(0, r.policy().keepNewest());
        assertEquals(Duration.ofDays(30), r.policy().maxAge());
        assertEquals(PruneAction.DEPRECATE, r.policy().action());
        assertEquals(Instant.parse("2025-06-08T00:00:00Z"), r.policy().deprecateAt().resolve(NOW));
        assertEquals("team", r.policy().family().tagKey());
        assertTrue(r.policy().keepShared());
        assertEquals(List.of("/prod/web/ami", "/apps/"), r.inUseParameters());
    }

    @Test
    void errorsNameFileLineAndField() {
        assertEquals("prune.yaml:2: keep: must be 0 or more (0 keeps no image for being newest)", error("name: x\nkeep: -1\n"));
        assertEquals("prune.yaml:2: keep: must be a whole number, not 'three'", error("name: x\nkeep: three\n"));
        assertEquals("prune.yaml:2: maxAge: '30 days' is not a duration (like 30d, 12h, 90m, 2w or P30D)",
                error("name: x\nmaxAge: 30 days\n"));
        assertEquals("prune.yaml:2: action: 'delete' is not an action (deregister, deprecate or disable)",
                error("name: x\naction: delete\n"));
        assertEquals("prune.yaml:2: deprecateAt: only goes with action: deprecate", error("name: x\ndeprecateAt: 7d\n"));
        assertTrue(error("name: x\naction: deprecate\ndeprecateAt: 2020-01-01T00:00:00Z\n")
                .startsWith("prune.yaml:3: deprecateAt: '2020-01-01T00:00:00Z' is in the past"));
        assertEquals("prune.yaml:2: regions[1]: 'us-est' is not an AWS region name (like us-east-1 or eu-central-2)",
                error("name: x\nregions: [us-east-1, us-est]\n"));
        assertEquals("prune.yaml:1: name: give a name glob or tags to select images", error("keep: 2\n"));
        assertEquals("prune.yaml:2: owners: only your own images can be used here; owners cannot be set",
                error("name: x\nowners: [amazon]\n"));
        assertTrue(error("name: x\nkep: 2\n").startsWith("prune.yaml:2: kep: unknown key 'kep' (accepted: action, "));
        assertEquals("prune.yaml:2: inUseParameters[0]: 'not a name!' is not an SSM parameter name or path",
                error("name: x\ninUseParameters: ['not a name!']\n"));
        assertEquals("prune.yaml:2: tags.role: needs a value (use * for any value)", error("name: x\ntags: {role: }\n"));
    }

    @Test
    void noRegionAnywhereIsAnError() {
        InputException e = assertThrows(InputException.class,
                () -> PruneRequest.parse(InputNode.parse("cli", "name: x\n"), List.of(), NOW));
        assertEquals("cli:1: regions: no region given (and none configured)", e.getMessage());
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        assertEquals(Duration.ofDays(14), DurationText.parseOrNull("2w"));
        assertEquals(Duration.ofHours(12), DurationText.parseOrNull("12h"));
        assertEquals(Duration.ofMinutes(90), DurationText.parseOrNull("90m"));
        assertEquals(Duration.ofDays(30), DurationText.parseOrNull("P30D"));
        assertNull(DurationText.parseOrNull("soon"));
        assertEquals("30d", DurationText.format(Duration.ofDays(30)));
        assertEquals("36h", DurationText.format(Duration.ofHours(36)));
    }
}
