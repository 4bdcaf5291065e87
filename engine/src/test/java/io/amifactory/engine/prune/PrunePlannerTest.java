package io.amifactory.engine.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PrunePlannerTest {
    static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
    static final FamilyRule FAMILY = new FamilyRule(Tags.TRACKED_IMAGE);

    /** An available image of family "web", created {@code daysAgo} days before NOW. */
    static PruneCandidate image(String id, int daysAgo) {
        return candidate(id, daysAgo, "available", "name:web", false, null, false);
    }

    static PruneCandidate candidate(String id, int daysAgo, String state, String family, boolean keepTag,
            Instant deprecatedAt, boolean protectedFromDeregistration) {
        return new PruneCandidate(id, "web-" + id, NOW.minus(Duration.ofDays(daysAgo)), state, family, keepTag,
                deprecatedAt, protectedFromDeregistration, List.of("snap-" + id.substring(4)));
    }

    static PrunePolicy keep(int n) {
        return PrunePolicy.keepNewest(n);
    }

    static PrunePolicy policy(int n, Duration maxAge, PruneAction action) {
        return new PrunePolicy(n, maxAge, action, null, FAMILY, false);
    }

    static Map<String, Decision> plan(List<PruneCandidate> images, UsageFacts usage, PrunePolicy policy, Instant deprecateAt) {
        return PrunePlanner.plan(images, usage, policy, NOW, deprecateAt).stream()
                .collect(Collectors.toMap(Decision::imageId, Function.identity()));
    }

    static Map<String, Decision> plan(List<PruneCandidate> images, PrunePolicy policy) {
        return plan(images, UsageFacts.none(), policy, null);
    }

    static void assertKeep(Decision d, Reason reason) {
        assertTrue(d.keep(), () -> d.imageId() + " should be kept but: " + d.decisionText() + " " + d.detail());
        assertEquals(reason, d.reason(), d::detail);
    }

    static void assertAct(Decision d, PruneAction action, Reason reason) {
        assertEquals(action, d.action(), () -> d.imageId() + ": " + d.reason() + " " + d.detail());
        assertEquals(reason, d.reason(), d::detail);
    }

    // ---- keep reasons

    @Test
    void keepsTheNewestNOfAFamilyAndActsOnTheRest() {
        Map<String, Decision> p = plan(List.of(image("ami-0003", 3), image("ami-0001", 30), image("ami-0002", 10)), keep(2));
        assertKeep(p.get("ami-0003"), Reason.NEWEST);
        assertKeep(p.get("ami-0002"), Reason.NEWEST);
        assertAct(p.get("ami-0001"), PruneAction.DEREGISTER, Reason.NOT_NEWEST);
        assertEquals(List.of("snap-0001"), p.get("ami-0001").snapshots());
    }

    @Test
    void keepsAnImageInUseEvenWhenItIsTheOldestAndSaysByWhat() {
        UsageFacts usage = UsageFacts.builder().reference("ami-0001", "launch template web version 1").build();
        Map<String, Decision> p = plan(List.of(image("ami-0001", 300), image("ami-0002", 1)), usage, keep(1), null);
        assertKeep(p.get("ami-0001"), Reason.IN_USE);
        assertTrue(p.get("ami-0001").detail().contains("launch template web version 1"));
    }

    @Test
    void inUseIsReportedBeforeAnyOtherKeepReason() {
        UsageFacts usage = UsageFacts.builder().reference("ami-0001", "instance i-1 (running)").build();
        PruneCandidate newestAndTagged = candidate("ami-0001", 0, "available", "name:web", true, null, false);
        assertKeep(plan(List.of(newestAndTagged), usage, keep(1), null).get("ami-0001"), Reason.IN_USE);
    }

    @Test
    void keepsAnImageTaggedKeepTrue() {
        PruneCandidate tagged = candidate("ami-0001", 400, "available", "name:web", true, null, false);
        Map<String, Decision> p = plan(List.of(tagged, image("ami-0002", 1)), keep(1));
        assertKeep(p.get("ami-0001"), Reason.KEEP_TAG);
    }

    @Test
    void keepsAPendingImageAndDoesNotLetItTakeANewestPlace() {
        PruneCandidate pending = candidate("ami-0009", 0, "pending", "name:web", false, null, false);
        Map<String, Decision> p = plan(List.of(pending, image("ami-0002", 5), image("ami-0001", 9)), keep(1));
        assertKeep(p.get("ami-0009"), Reason.PENDING);
        assertKeep(p.get("ami-0002"), Reason.NEWEST);
        assertAct(p.get("ami-0001"), PruneAction.DEREGISTER, Reason.NOT_NEWEST);
    }

    @Test
    void keepsImagesYoungerThanTheMaximumAge() {
        Map<String, Decision> p = plan(List.of(image("ami-0003", 1), image("ami-0002", 20), image("ami-0001", 40)),
                policy(1, Duration.ofDays(30), PruneAction.DEREGISTER));
        assertKeep(p.get("ami-0003"), Reason.NEWEST);
        assertKeep(p.get("ami-0002"), Reason.YOUNGER_THAN_MAX_AGE);
        assertAct(p.get("ami-0001"), PruneAction.DEREGISTER, Reason.OLDER_THAN_MAX_AGE);
    }

    @Test
    void keepsSharedImagesWhenThePolicySaysSo() {
        PrunePolicy keepShared = new PrunePolicy(1, null, PruneAction.DEREGISTER, null, FAMILY, true);
        UsageFacts usage = UsageFacts.none().withShared(Set.of("ami-0001"));
        Map<String, Decision> p = plan(List.of(image("ami-0002", 1), image("ami-0001", 50)), usage, keepShared, null);
        assertKeep(p.get("ami-0001"), Reason.SHARED);
        // without keepShared the same facts do not protect it
        assertAct(plan(List.of(image("ami-0002", 1), image("ami-0001", 50)), usage, keep(1), null).get("ami-0001"),
                PruneAction.DEREGISTER, Reason.NOT_NEWEST);
    }

    @Test
    void deprecateLeavesImagesAlreadyDeprecatedByThePlannedTime() {
        Instant planned = NOW.plus(Duration.ofDays(7));
        PruneCandidate soon = candidate("ami-0001", 90, "available", "name:web", false, NOW.plus(Duration.ofDays(1)), false);
        PruneCandidate late = candidate("ami-0002", 80, "available", "name:web", false, NOW.plus(Duration.ofDays(60)), false);
        PrunePolicy deprecate = new PrunePolicy(1, null, PruneAction.DEPRECATE, new DeprecationTime(null, Duration.ofDays(7)),
                FAMILY, false);
        Map<String, Decision> p = plan(List.of(image("ami-0003", 1), soon, late), UsageFacts.none(), deprecate, planned);
        assertKeep(p.get("ami-0001"), Reason.ALREADY_DEPRECATED);
        assertAct(p.get("ami-0002"), PruneAction.DEPRECATE, Reason.NOT_NEWEST);
    }

    @Test
    void disableLeavesImagesAlreadyDisabled() {
        PruneCandidate disabled = candidate("ami-0001", 90, "disabled", "name:web", false, null, false);
        Map<String, Decision> p = plan(List.of(image("ami-0002", 1), disabled, image("ami-0003", 50)),
                policy(1, null, PruneAction.DISABLE));
        assertKeep(p.get("ami-0001"), Reason.ALREADY_DISABLED);
        assertAct(p.get("ami-0003"), PruneAction.DISABLE, Reason.NOT_NEWEST);
    }

    @Test
    void deregisterLeavesImagesWithDeregistrationProtection() {
        PruneCandidate protectedImage = candidate("ami-0001", 90, "available", "name:web", false, null, true);
        Map<String, Decision> p = plan(List.of(image("ami-0002", 1), protectedImage), keep(1));
        assertKeep(p.get("ami-0001"), Reason.DEREGISTRATION_PROTECTED);
    }

    // ---- act reasons

    @Test
    void actsOnFailedImagesWhateverTheirAgeRank() {
        PruneCandidate failed = candidate("ami-0009", 0, "failed", "name:web", false, null, false);
        Map<String, Decision> p = plan(List.of(failed, image("ami-0001", 5)), keep(1));
        assertAct(p.get("ami-0009"), PruneAction.DEREGISTER, Reason.FAILED_IMAGE);
        assertKeep(p.get("ami-0001"), Reason.NEWEST);
    }

    @Test
    void aDeprecatedOrDisabledImageTakesNoNewestPlace() {
        PruneCandidate deprecatedNewest = candidate("ami-0009", 0, "available", "name:web", false, NOW.minusSeconds(60), false);
        Map<String, Decision> p = plan(List.of(deprecatedNewest, image("ami-0002", 5), image("ami-0001", 9)), keep(1));
        assertKeep(p.get("ami-0002"), Reason.NEWEST);
        assertAct(p.get("ami-0009"), PruneAction.DEREGISTER, Reason.NOT_NEWEST);
        assertTrue(p.get("ami-0009").detail().contains("deprecated since"), p.get("ami-0009").detail());
        assertAct(p.get("ami-0001"), PruneAction.DEREGISTER, Reason.NOT_NEWEST);
    }

    @Test
    void keepZeroKeepsNothingForBeingNewest() {
        Map<String, Decision> p = plan(List.of(image("ami-0002", 1), image("ami-0001", 2)), keep(0));
        assertAct(p.get("ami-0002"), PruneAction.DEREGISTER, Reason.NOT_NEWEST);
        assertAct(p.get("ami-0001"), PruneAction.DEREGISTER, Reason.NOT_NEWEST);
    }

    @Test
    void familiesAreCountedSeparately() {
        PruneCandidate web1 = candidate("ami-0001", 10, "available", "name:web", false, null, false);
        PruneCandidate web2 = candidate("ami-0002", 5, "available", "name:web", false, null, false);
        PruneCandidate db1 = candidate("ami-0003", 50, "available", "tag:amifactory:tracked-image=db", false, null, false);
        Map<String, Decision> p = plan(List.of(web1, web2, db1), keep(1));
        assertKeep(p.get("ami-0002"), Reason.NEWEST);
        assertKeep(p.get("ami-0003"), Reason.NEWEST);
        assertAct(p.get("ami-0001"), PruneAction.DEREGISTER, Reason.NOT_NEWEST);
    }

    @Test
    void sameCreationTimeIsBrokenByNameThenIdLikeEverywhereElse() {
        PruneCandidate a = new PruneCandidate("ami-000a", "web-1", NOW, "available", "name:web", false, null, false, List.of());
        PruneCandidate b = new PruneCandidate("ami-000b", "web-2", NOW, "available", "name:web", false, null, false, List.of());
        Map<String, Decision> p = plan(List.of(a, b), keep(1));
        assertKeep(p.get("ami-000b"), Reason.NEWEST);
        assertAct(p.get("ami-000a"), PruneAction.DEREGISTER, Reason.NOT_NEWEST);
    }

    @Test
    void everyImageGetsExactlyOneDecisionInStableOrder() {
        List<PruneCandidate> images = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            images.add(candidate(String.format("ami-%04d", i), i, "available", "name:f" + (i % 3), false, null, false));
        }
        List<Decision> first = PrunePlanner.plan(new ArrayList<>(images), UsageFacts.none(), keep(2), NOW, null);
        java.util.Collections.reverse(images);
        List<Decision> second = PrunePlanner.plan(images, UsageFacts.none(), keep(2), NOW, null);
        assertEquals(50, first.size());
        assertEquals(first, second, "the plan must not depend on the order EC2 listed the images in");
        assertEquals(6, first.stream().filter(Decision::keep).count());
        assertNull(first.get(0).action());
    }
}
