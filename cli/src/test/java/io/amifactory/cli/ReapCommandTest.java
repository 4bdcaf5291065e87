package io.amifactory.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.amifactory.engine.Json;
import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.MotoExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

@ExtendWith(MotoExtension.class)
class ReapCommandTest {
    @BeforeEach
    void dummyKeys() {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    @AfterEach
    void clearKeys() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private static String launch(AwsClients aws, Tag... tags) {
        String image = aws.ec2("us-east-1").describeImages(b -> b.owners("amazon")).images().get(0).imageId();
        return aws.ec2("us-east-1").runInstances(b -> b.imageId(image).minCount(1).maxCount(1)
                .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(tags))).instances().get(0).instanceId();
    }

    private static Tag tag(String k, String v) {
        return Tag.builder().key(k).value(v).build();
    }

    private static String state(AwsClients aws, String id) {
        return aws.ec2("us-east-1").describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0)
                .state().nameAsString();
    }

    private static JsonNode reap(MotoServer moto, String... extra) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[4 + extra.length];
        System.arraycopy(new String[] {"reap", "--region", "us-east-1", "--endpoint-url=" + moto.endpoint()}, 0, args, 0, 4);
        System.arraycopy(extra, 0, args, 4, extra.length);
        int code = AmiFactory.run(args, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        return Json.MAPPER.readTree(out.toString());
    }

    @Test
    void onlyExpiredBuildInstancesAreTerminated(MotoServer moto, AwsClients aws) throws Exception {
        String past = Instant.now().minusSeconds(600).toString();
        String expired = launch(aws, tag(Tags.ROLE, Tags.ROLE_BUILD_INSTANCE), tag(Tags.EXPIRES, past), tag(Tags.BUILD_ID, "web-1"));
        String live = launch(aws, tag(Tags.ROLE, Tags.ROLE_BUILD_INSTANCE),
                tag(Tags.EXPIRES, Instant.now().plusSeconds(3600).toString()));
        String other = launch(aws, tag("Name", "production"), tag(Tags.EXPIRES, past));

        JsonNode dry = reap(moto, "--dry-run", "--json");
        Map<String, String> actions = new HashMap<>();
        dry.get("instances").forEach(i -> actions.put(i.get("instanceId").asText(), i.get("action").asText()));
        assertEquals(Map.of(expired, "would-terminate", live, "kept"), actions);
        assertEquals("running", state(aws, expired));

        JsonNode done = reap(moto, "--json");
        actions.clear();
        done.get("instances").forEach(i -> actions.put(i.get("instanceId").asText(), i.get("action").asText()));
        assertEquals(Map.of(expired, "terminated", live, "kept"), actions);
        assertEquals("terminated", state(aws, expired));
        assertEquals("running", state(aws, live));
        assertEquals("running", state(aws, other), "an instance not tagged as a build instance is never touched");
    }
}
