package io.jenkins.plugins.amifactory.runners;

import static io.jenkins.plugins.amifactory.MotoJenkins.REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.util.StreamTaskListener;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.build.BuildMachine;
import io.amifactory.engine.build.BuildRecord;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.emulator.MotoServer;
import io.jenkins.plugins.amifactory.MotoJenkins;
import io.jenkins.plugins.amifactory.WithMoto;
import io.jenkins.plugins.amifactory.aws.AwsAccess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The controller's reaper, on what a build leaves when its Jenkins build dies with it (a controller that crashed
 * under a freestyle build, a Pipeline that could not resume): a record that says an instance was launched, and
 * the instance.
 */
@WithJenkins
@WithMoto
class AbandonedBuildsTest {
    private JenkinsRule j;
    private AwsClients aws;
    private String source;

    @BeforeEach
    void setUp(JenkinsRule rule, MotoServer moto, AwsClients clients) throws Exception {
        j = rule;
        aws = clients;
        MotoJenkins.configure(moto);
        source = MotoJenkins.amazonLinux(aws);
    }

    /** A build recorded in {@code run}'s directory, stepped until its instance runs, then abandoned. */
    private BuildFiles abandonedBuild(FreeStyleBuild run) throws Exception {
        AmiBuildDocument document = AmiBuildDocument.ofMap("test", Map.of("imageName", "web-{timestamp}", "source", source,
                "userData", "#!/bin/bash\ntrue", "completion", "stop"), false, null, REGION, false);
        BuildSpec spec = document.read();
        BuildRecord record = BuildRecord.start(spec, AmiBuilds.builtBy(run), Clock.systemUTC());
        BuildFiles files = BuildFiles.of(run, "abandoned");
        AwsAccess access = AwsAccess.of("moto", null, null, "test");
        files.start(document, record, access);
        BuildMachine machine = new BuildMachine(spec, record, AmiBuilds.services(aws, files.store()), line -> { },
                Clock.systemUTC());
        while (MotoJenkins.buildInstances(aws).isEmpty()) {
            machine.step();
        }
        return files;
    }

    @Test
    void aBuildWhoseJenkinsBuildEndedIsCleanedUpAsItsIdentity() throws Exception {
        FreeStyleProject p = j.createFreeStyleProject("bake");
        FreeStyleBuild run = j.buildAndAssertSuccess(p);
        BuildFiles files = abandonedBuild(run);
        assertEquals("running", MotoJenkins.buildInstances(aws).get(0).state().nameAsString());

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AbandonedBuilds.get().reap(new StreamTaskListener(log, StandardCharsets.UTF_8));

        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("bake #1: build " + files.record().buildId() + " was left in phase"), text);
        assertTrue(text.contains("as AWS credentials 'moto'"), text);
        assertEquals("terminated", MotoJenkins.buildInstances(aws).get(0).state().nameAsString(), text);
        assertEquals(List.of(), MotoJenkins.ownImages(aws, REGION));
        assertTrue(files.record().isFinished());
        assertEquals(List.of(), OpenBuilds.all(), "nothing is left to clean up");
    }

    @Test
    void aBuildAStepStillDrivesIsLeftAlone() throws Exception {
        FreeStyleProject p = j.createFreeStyleProject("bake");
        FreeStyleBuild run = j.buildAndAssertSuccess(p);
        BuildFiles files = abandonedBuild(run);
        OpenBuilds.driving(files.key());
        try {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            AbandonedBuilds.get().reap(new StreamTaskListener(log, StandardCharsets.UTF_8));
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("still running, left to its step"));
            assertEquals("running", MotoJenkins.buildInstances(aws).get(0).state().nameAsString());
            assertFalse(files.record().isFinished());
        } finally {
            OpenBuilds.released(files.key());
        }
    }
}
