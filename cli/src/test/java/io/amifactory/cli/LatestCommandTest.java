package io.amifactory.cli;

import static io.amifactory.cli.ShareCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amifactory.cli.ShareCommandTest.Run;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.MotoExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;

@ExtendWith(MotoExtension.class)
class LatestCommandTest {

    @BeforeAll
    static void dummyCredentials() {
        ShareCommandTest.dummyCredentials();
    }

    @AfterAll
    static void forgetCredentials() {
        ShareCommandTest.forgetCredentials();
    }

    @Test
    void printsTheNewestPerRegionAndExitsOneWhereThereIsNone(MotoServer moto, AwsClients aws) throws Exception {
        Ec2Client east = aws.ec2("us-east-1");
        east.registerImage(r -> r.name("web-1"));
        String newest = east.registerImage(r -> r.name("web-2")).imageId();

        Run found = run(moto, "latest", "--name", "web-*", "--region", "us-east-1");
        assertEquals(0, found.exit(), found.err());
        assertTrue(found.out().split("\n")[1].matches("us-east-1\\s+" + newest + "\\s+web-2\\s+\\d{4}-.*"), found.out());

        Run partly = run(moto, "latest", "--name", "web-*", "--region", "us-east-1", "--region", "eu-west-1", "--json");
        assertEquals(1, partly.exit());
        assertEquals(newest, new ObjectMapper().readTree(partly.out()).get("regions").get(0).get("imageId").asText());
        assertTrue(partly.err().contains("eu-west-1: no available image matches name=web-* owners=self"), partly.err());

        Run badOwner = run(moto, "latest", "--name", "web-*", "--owner", "me", "--region", "us-east-1");
        assertEquals(2, badOwner.exit());
        assertTrue(badOwner.err().contains("owners[0]: 'me' is not an owner"), badOwner.err());
    }
}
