package io.jenkins.plugins.amifactory.steps;

import static io.jenkins.plugins.amifactory.MotoJenkins.REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import hudson.util.StreamTaskListener;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.build.BuildRecord;
import io.amifactory.engine.build.FileBuildRecordStore;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.jenkins.plugins.amifactory.MotoJenkins;
import io.jenkins.plugins.amifactory.WithMoto;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.runners.AbandonedBuilds;
import io.jenkins.plugins.amifactory.runners.OpenBuilds;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.flow.FlowDurabilityHint;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.job.properties.DurabilityHintJobProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * What {@code amiBuild} keeps on disk, on which threads it runs, and who cleans up when its Jenkins build ends
 * without it.
 */
@WithJenkins
@WithMoto
class AmiBuildDurabilityTest {
    private JenkinsRule j;
    private AwsClients aws;
    private MotoServer moto;
    private String source;

    @BeforeEach
    void setUp(JenkinsRule rule, MotoServer server, AwsClients clients) throws Exception {
        j = rule;
        aws = clients;
        moto = server;
        MotoJenkins.configure(moto);
        source = MotoJenkins.amazonLinux(aws);
    }

    private WorkflowRun startBuild(String extra) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "bake");
        p.addProperty(new DurabilityHintJobProperty(FlowDurabilityHint.PERFORMANCE_OPTIMIZED));
        p.setDefinition(new CpsFlowDefinition("amiBuild(imageName: 'web-{timestamp}', source: '" + source
                + "', userData: '#!/bin/bash\\ntrue', completion: 'stop'" + extra + ")", true));
        return p.scheduleBuild2(0).waitForStart();
    }

    private static Path recordFile(WorkflowRun run) throws Exception {
        try (Stream<Path> files = Files.walk(run.getRootDir().toPath().resolve("ami-factory"))) {
            return files.filter(f -> f.getFileName().toString().equals("record.json")).findFirst().orElseThrow();
        }
    }

    @Test
    void theRecordIsUnderTheRunWithTheInstanceBeforeTheBuildWaitsOnIt() throws Exception {
        WorkflowRun run = startBuild("");
        j.waitForMessage("| Linux version", run);
        BuildRecord record = FileBuildRecordStore.load(recordFile(run));
        String instance = MotoJenkins.buildInstances(aws).get(0).instanceId();
        assertEquals(instance, record.instanceId(), "saved before the build waits, whatever the Pipeline saves");
        assertEquals(1, OpenBuilds.all().size(), "the controller knows the build is open");
        MotoJenkins.stopBuildInstance(aws);
        j.assertBuildStatusSuccess(j.waitForCompletion(run));
        assertTrue(FileBuildRecordStore.load(recordFile(run)).isFinished());
        assertEquals(List.of(), OpenBuilds.all(), "a finished build is no longer open");
    }

    @Test
    void aHardKilledBuildLeavesNothingBehind() throws Exception {
        WorkflowRun run = startBuild("");
        j.waitForMessage("| Linux version", run);
        run.doKill(); // ends the Jenkins build at once; the step's cleanup or the controller's reaper must follow
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(run));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        for (int i = 0; i < 60 && !OpenBuilds.all().isEmpty(); i++) {
            AbandonedBuilds.get().reap(new StreamTaskListener(log, StandardCharsets.UTF_8));
            Thread.sleep(1000);
        }
        assertEquals(List.of(), OpenBuilds.all(), log.toString(StandardCharsets.UTF_8));
        assertEquals("terminated", MotoJenkins.buildInstances(aws).get(0).state().nameAsString());
        assertEquals(List.of(), MotoJenkins.ownImages(aws, REGION), "no half-made AMI is left");
        assertTrue(FileBuildRecordStore.load(recordFile(run)).isFinished());
    }

    @Test
    void ticksRunOnTheirOwnThreadsNotOnTheControllersTimer() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none())) {
            FaultProxy.Hold held = proxy.hold("ec2:DescribeInstances");
            AmiFactoryConfiguration.get().setEndpoint(proxy.endpoint().toString());
            WorkflowRun run = startBuild("");
            assertTrue(held.awaitArrival(Duration.ofMinutes(1)));
            Thread tick = null;
            for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
                if (Stream.of(t.getValue()).anyMatch(f -> f.getClassName().equals(AmiBuildExecution.class.getName()))) {
                    assertFalse(t.getKey().getName().startsWith("jenkins.util.Timer"), t.getKey().getName());
                    tick = t.getKey();
                }
            }
            assertNotNull(tick, "a tick is waiting for AWS");
            assertTrue(tick.getName().startsWith("AMI Factory build tick"), tick.getName());
            held.release();
            j.waitForMessage("| Linux version", run);
            MotoJenkins.stopBuildInstance(aws);
            j.assertBuildStatusSuccess(j.waitForCompletion(run));
        }
    }

    @Test
    void aStopThatComesAsTheImageIsFinishedStopsTheStepAndKeepsTheImage() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none())) {
            AmiFactoryConfiguration.get().setEndpoint(proxy.endpoint().toString());
            WorkflowRun run = startBuild("");
            j.waitForMessage("| Linux version", run);
            FaultProxy.Hold held = proxy.hold("ec2:TerminateInstances"); // the first cleanup after success
            MotoJenkins.stopBuildInstance(aws);
            assertTrue(held.awaitArrival(Duration.ofMinutes(1)));
            run.doStop();
            held.release();
            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(run));
            j.assertLogContains("amiBuild: stopped after the image was finished", run);
            assertEquals(1, MotoJenkins.ownImages(aws, REGION).size(), "the finished image is kept");
        }
    }
}
