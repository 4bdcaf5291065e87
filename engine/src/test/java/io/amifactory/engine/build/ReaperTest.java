package io.amifactory.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.amifactory.engine.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

class ReaperTest {
    private static String launch(FakeAws aws, Map<String, String> tags) {
        List<Tag> t = tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
        return aws.ec2("eu-west-1").runInstances(b -> b.imageId(Harness.SOURCE).minCount(1).maxCount(1)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(t).build()))
                .instances().get(0).instanceId();
    }

    @Test
    void onlyExpiredBuildInstancesAreTerminated() {
        Harness h = new Harness();
        String past = h.clock.instant().minus(Duration.ofMinutes(1)).toString();
        String future = h.clock.instant().plus(Duration.ofHours(1)).toString();
        String expired = launch(h.aws, Map.of(Tags.ROLE, Tags.ROLE_BUILD_INSTANCE, Tags.EXPIRES, past, Tags.BUILD_ID, "b-1"));
        String running = launch(h.aws, Map.of(Tags.ROLE, Tags.ROLE_BUILD_INSTANCE, Tags.EXPIRES, future, Tags.BUILD_ID, "b-2"));
        String garbled = launch(h.aws, Map.of(Tags.ROLE, Tags.ROLE_BUILD_INSTANCE, Tags.EXPIRES, "tomorrow"));
        String someoneElses = launch(h.aws, Map.of("Name", "production web", Tags.EXPIRES, past));
        h.aws.calls.clear();

        List<Reaper.Reaped> dry = new Reaper(h.aws, h.clock, h.progress).reap(List.of("eu-west-1"), true);
        assertEquals(Map.of(expired, Reaper.Action.WOULD_TERMINATE, running, Reaper.Action.KEPT, garbled, Reaper.Action.SKIPPED),
                actions(dry));
        assertEquals(4, h.aws.liveInstances().size(), "a dry run terminates nothing");

        List<Reaper.Reaped> done = new Reaper(h.aws, h.clock, h.progress).reap(List.of("eu-west-1"), false);
        assertEquals(Reaper.Action.TERMINATED, actions(done).get(expired));
        assertEquals("b-1", done.stream().filter(r -> r.instanceId().equals(expired)).findFirst().orElseThrow().buildId());
        assertEquals(List.of(running, garbled, someoneElses), h.aws.liveInstances());
        assertEquals(List.of("terminateInstances", "terminateInstances"), h.aws.calls.mutating());
    }

    @Test
    void aRefusedTerminationIsReportedAsFailed() {
        Harness h = new Harness();
        String expired = launch(h.aws, Map.of(Tags.ROLE, Tags.ROLE_BUILD_INSTANCE,
                Tags.EXPIRES, h.clock.instant().minusSeconds(5).toString()));
        h.aws.faults.alwaysError("terminateInstances", "UnauthorizedOperation");
        List<Reaper.Reaped> r = new Reaper(h.aws, h.clock, h.progress).reap(List.of("eu-west-1"), false);
        assertEquals(Reaper.Action.FAILED, actions(r).get(expired));
        assertEquals(List.of(expired), h.aws.liveInstances());
    }

    private static Map<String, Reaper.Action> actions(List<Reaper.Reaped> reaped) {
        return reaped.stream().collect(Collectors.toMap(Reaper.Reaped::instanceId, Reaper.Reaped::action));
    }
}
