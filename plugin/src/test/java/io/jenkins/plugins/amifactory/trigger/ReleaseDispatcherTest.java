package io.jenkins.plugins.amifactory.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import hudson.util.StreamTaskListener;
import io.amifactory.engine.track.ImageSource;
import io.amifactory.engine.track.ReleaseEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import javax.xml.transform.stream.StreamSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Handing a release to the jobs: a job that cannot be looked at never keeps the others from their release. */
@WithJenkins
class ReleaseDispatcherTest {
    private JenkinsRule j;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void setUp(JenkinsRule rule) {
        j = rule;
    }

    private static ReleaseEvent event() {
        return new ReleaseEvent("evt-7", "base", "us-east-1", "ami-0123456789abcdef0", "base-2", "2026-12-01T00:00:00.000Z",
                "ami-0fedcba9876543210", "ssm:/base", Instant.now(), new ImageSource.Parameter("/base"));
    }

    private int dispatch() {
        return new ReleaseDispatcher().dispatch(event(), new StreamTaskListener(log, StandardCharsets.UTF_8));
    }

    @Test
    void oneBrokenJobDoesNotKeepTheOthersFromTheRelease() throws Exception {
        // What a job file edited by hand leaves when nothing repairs it: a trigger without its image list.
        FreeStyleProject broken = j.createFreeStyleProject("a-broken");
        AmiReleaseTrigger brokenTrigger = new AmiReleaseTrigger(List.of("base"));
        Field images = AmiReleaseTrigger.class.getDeclaredField("images");
        images.setAccessible(true);
        images.set(brokenTrigger, null);
        broken.addTrigger(brokenTrigger);
        FreeStyleProject good = j.createFreeStyleProject("b-good");
        good.addTrigger(new AmiReleaseTrigger(List.of("base")));

        assertEquals(1, dispatch(), "the job after the broken one is scheduled");
        j.waitUntilNoActivity();
        assertEquals(1, good.getBuilds().size());
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("a-broken: NOT scheduled, it failed: java.lang.NullPointerException"),
                text);
        assertTrue(text.contains("start it by hand for ami-0123456789abcdef0"), text);
    }

    @Test
    void aHandEditedTriggerWithoutItsListsMatchesEveryImageAndRegion() throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("edited");
        String xml = "<project><builders/><publishers/><buildWrappers/><triggers>"
                + "<io.jenkins.plugins.amifactory.trigger.AmiReleaseTrigger><spec></spec>"
                + "</io.jenkins.plugins.amifactory.trigger.AmiReleaseTrigger></triggers></project>";
        job.updateByXml(new StreamSource(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
        AmiReleaseTrigger trigger = ((FreeStyleProject) j.jenkins.getItem("edited")).getTrigger(AmiReleaseTrigger.class);
        assertEquals(List.of(), trigger.getImages());
        assertEquals(List.of(), trigger.getRegions());

        assertEquals(1, dispatch());
        j.waitUntilNoActivity();
        assertEquals(1, job.getBuilds().size());
    }
}
