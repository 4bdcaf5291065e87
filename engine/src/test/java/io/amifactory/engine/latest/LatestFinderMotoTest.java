package io.amifactory.engine.latest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.testkit.MotoExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;

@ExtendWith(MotoExtension.class)
class LatestFinderMotoTest {

    static String register(Ec2Client ec2, String name, String role) {
        String id = ec2.registerImage(r -> r.name(name)).imageId();
        ec2.createTags(r -> r.resources(id).tags(Tag.builder().key("role").value(role).build()));
        return id;
    }

    @Test
    void picksTheNewestMatchInEachRegion(AwsClients aws) {
        Ec2Client east = aws.ec2("us-east-1");
        Ec2Client west = aws.ec2("eu-west-1");
        // Moto stamps creation dates to the second: registering in name order keeps both orders the same
        register(east, "web-2025-01", "web");
        register(east, "web-2025-02", "web");
        String eastNewest = register(east, "web-2025-03", "web");
        register(east, "zzz-other", "db");
        String eastDb = register(east, "db-2025-01", "db");
        String westWeb = register(west, "web-2025-01", "web");

        LatestFinder finder = new LatestFinder(aws);
        LatestReport byName = finder.find(LatestRequest.parse(InputNode.parse("latest",
                "name: web-*\nregions: [us-east-1, eu-west-1]\n"), List.of()), ProgressListener.NONE);
        assertEquals(Map.of("us-east-1", eastNewest, "eu-west-1", westWeb), byName.imageIdByRegion());
        assertEquals("web-2025-03", byName.regions().get(0).name());

        LatestReport byTag = finder.find(LatestRequest.parse(InputNode.parse("latest",
                "tags: {role: db}\nname: db-*\nregions: [us-east-1]\n"), List.of()), ProgressListener.NONE);
        assertEquals(Map.of("us-east-1", eastDb), byTag.imageIdByRegion());

        LatestReport none = finder.find(LatestRequest.parse(InputNode.parse("latest",
                "tags: {role: db}\nregions: [eu-west-1]\n"), List.of()), ProgressListener.NONE);
        assertFalse(none.ok());
        assertEquals(Map.of(), none.imageIdByRegion());
    }
}
