package io.amifactory.cli;

import static io.amifactory.cli.ShareCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amifactory.cli.ShareCommandTest.Run;
import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.MotoExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Tag;

@ExtendWith(MotoExtension.class)
class PruneCommandTest {
    static final String R = "us-east-1";

    @BeforeAll
    static void dummyCredentials() {
        ShareCommandTest.dummyCredentials();
    }

    @AfterAll
    static void forgetCredentials() {
        ShareCommandTest.forgetCredentials();
    }

    static List<String> threeImages(Ec2Client ec2) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String id = ec2.registerImage(r -> r.name("web-" + ids.size())).imageId();
            ec2.createTags(r -> r.resources(id).tags(Tag.builder().key(Tags.TRACKED_IMAGE).value("web").build()));
            ids.add(id);
        }
        return ids;
    }

    static Set<String> images(Ec2Client ec2) {
        return ec2.describeImages(r -> r.owners("self")).images().stream().map(Image::imageId).collect(Collectors.toSet());
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothingThenTheRealRunActs(MotoServer moto, AwsClients aws, @TempDir Path dir) throws Exception {
        Ec2Client ec2 = aws.ec2(R);
        List<String> ids = threeImages(ec2);

        Run dry = run(moto, "prune", "--tag", Tags.TRACKED_IMAGE + "=web", "--keep", "1", "--region", R, "--dry-run", "--json");
        assertEquals(0, dry.exit(), dry.err());
        JsonNode plan = new ObjectMapper().readTree(dry.out());
        assertEquals(3, plan.get("regions").get(0).get("images").size());
        assertEquals(2, plan.get("regions").get(0).get("summary").get("deregister").asInt());
        assertEquals(Set.copyOf(ids), images(ec2), "a dry run changes nothing");

        Path planFile = dir.resolve("plan.json");
        Run real = run(moto, "prune", "--name", "web-*", "--keep", "1", "--region", R, "--plan-file", planFile.toString());
        assertEquals(0, real.exit(), real.err());
        assertEquals(Set.of(ids.get(2)), images(ec2));
        assertTrue(real.out().lines().anyMatch(l -> l.matches(R + "\\s+" + ids.get(0) + "\\s+web-0\\s+\\S+\\s+deregister\\s+not among the newest 1 .*")),
                real.out());
        assertTrue(real.out().lines().anyMatch(l -> l.matches(R + "\\s+" + ids.get(0) + "\\s+deregister\\s+done\\s+deleted snap-\\w+")), real.out());
        assertTrue(real.out().contains(R + ": plan keep 1, deregister 2"), real.out());
        assertEquals(3, new ObjectMapper().readTree(Files.readString(planFile)).get("regions").get(0).get("images").size());
    }

    @Test
    void invalidInputExitsTwoAndChangesNothing(MotoServer moto, AwsClients aws) {
        Ec2Client ec2 = aws.ec2(R);
        Set<String> before = Set.copyOf(threeImages(ec2));

        Run negative = run(moto, "prune", "--name", "web-*", "--keep", "-1", "--region", R);
        assertEquals(2, negative.exit());
        assertEquals("amifactory: command line: keep: must be 0 or more (0 keeps no image for being newest)\n", negative.err());

        Run noKeep = run(moto, "prune", "--name", "web-*", "--region", R);
        assertEquals(2, noKeep.exit());
        assertTrue(noKeep.err().contains("Missing required option: '--keep=N'"), noKeep.err());

        Run badAge = run(moto, "prune", "--name", "web-*", "--keep", "0", "--max-age", "soon", "--region", R);
        assertEquals(2, badAge.exit());
        assertTrue(badAge.err().contains("maxAge: 'soon' is not a duration"), badAge.err());

        Run badAction = run(moto, "prune", "--name", "web-*", "--keep", "0", "--action", "delete", "--region", R);
        assertEquals(2, badAction.exit());

        Run nothingSelected = run(moto, "prune", "--keep", "0", "--region", R);
        assertEquals(2, nothingSelected.exit());
        assertTrue(nothingSelected.err().contains("give a name glob or tags to select images"), nothingSelected.err());

        Run badTag = run(moto, "prune", "--tag", "role", "--keep", "0", "--region", R);
        assertEquals(2, badTag.exit());
        assertEquals("amifactory: command line: tags[0]: 'role' must be KEY=VALUE (use KEY=* for any value)\n", badTag.err());

        assertEquals(before, images(ec2));
    }
}
