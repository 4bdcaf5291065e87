package io.jenkins.plugins.amifactory.builders;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.build.BuildDriver;
import io.amifactory.engine.build.BuildMachine;
import io.amifactory.engine.build.BuildRecord;
import io.amifactory.engine.build.BuildResult;
import io.amifactory.engine.build.BuildStatus;
import io.amifactory.engine.build.Sleeper;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.input.InputException;
import io.jenkins.plugins.amifactory.aws.AwsAccess;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.forms.FormText;
import io.jenkins.plugins.amifactory.forms.RequestChecks;
import io.jenkins.plugins.amifactory.forms.StepForms;
import io.jenkins.plugins.amifactory.runners.AmiBuildDocument;
import io.jenkins.plugins.amifactory.runners.AmiBuildRequest;
import io.jenkins.plugins.amifactory.runners.AmiBuilds;
import io.jenkins.plugins.amifactory.runners.BuildFiles;
import io.jenkins.plugins.amifactory.runners.OpenBuilds;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Freestyle "Build an AMI": one build of a spec (inline, or a workspace file), run to its end while the
 * executor waits; aborting the Jenkins build aborts the AMI build, whose cleanups run before the step returns.
 * The new AMIs are exported to later steps by {@link AmiBuildEnvironmentAction}.
 */
public final class AmiBuildBuilder extends AmiFactoryBuilder {
    private static final String SOURCE = "Build an AMI";
    private static final Sleeper SLEEPER = d -> Thread.sleep(Math.max(1, Math.min(d.toMillis(),
            AmiBuilds.maxPoll.toMillis())));

    private String spec;
    private String specFile;
    private String name;
    private String region;
    private boolean dryRun;

    @DataBoundConstructor
    public AmiBuildBuilder() {
    }

    @Override
    void run(Run<?, ?> run, @CheckForNull FilePath workspace, EnvVars env, TaskListener listener)
            throws IOException, InterruptedException {
        PrintStream log = listener.getLogger();
        String file = expand(env, specFile);
        if ((file == null) == (spec == null)) {
            throw new AbortException(SOURCE + ": give the build spec inline or as a workspace file, one of them");
        }
        AmiBuildDocument document;
        BuildSpec buildSpec;
        AwsAccess access;
        try {
            String text = file != null ? AmiBuildRequest.read(workspace, "specFile", file) : spec;
            List<String> defaults = AmiFactoryConfiguration.get().getDefaultRegionList();
            String buildRegion = expand(env, region);
            if (buildRegion == null && !defaults.isEmpty()) {
                buildRegion = defaults.get(0);
            }
            document = AmiBuildDocument.ofText(file != null ? file : "spec", text, false, expand(env, name), buildRegion,
                    dryRun);
            buildSpec = document.read();
            access = access(env, SOURCE);
        } catch (InputException e) {
            throw new AbortException(e.getMessage());
        }
        BuildResult result;
        try (AwsClients clients = access.clients(run, buildSpec.region())) {
            Clock clock = Clock.systemUTC();
            BuildRecord record = BuildRecord.start(buildSpec, AmiBuilds.builtBy(run), clock);
            // On disk before the first AWS call: a controller that dies mid-build leaves the record to clean up from.
            BuildFiles files = BuildFiles.of(run, UUID.randomUUID().toString());
            OpenBuilds.driving(files.key());
            files.start(document, record, access);
            log.println(SOURCE + ": build " + record.buildId() + " of " + buildSpec.name() + " in "
                    + buildSpec.region() + " as " + access.describe());
            BuildMachine machine = new BuildMachine(buildSpec, record, AmiBuilds.services(clients, files.store()),
                    log::println, clock);
            try {
                result = BuildDriver.run(machine, SLEEPER);
            } finally {
                OpenBuilds.released(files.key());
            }
            if (machine.record().isFinished()) {
                files.finished();
            }
        }
        if (result.status() == BuildStatus.ABORTED) {
            throw new InterruptedException(AmiBuilds.failure(result));
        }
        if (!result.succeeded()) {
            throw new AbortException(AmiBuilds.failure(result));
        }
        AmiBuildEnvironmentAction exported = new AmiBuildEnvironmentAction(result, buildSpec.region());
        run.addAction(exported);
        log.println(SOURCE + ": AMI_ID=" + exported.getImageId() + " AMI_IDS=" + exported.getImageIds());
    }

    /** The spec itself (YAML or JSON: one build, builds: or seed 001's amis:); taken as written, not expanded. */
    @CheckForNull
    public String getSpec() {
        return spec;
    }

    @DataBoundSetter
    public void setSpec(String spec) {
        this.spec = spec == null || spec.isBlank() ? null : spec;
    }

    /** A spec file in the workspace. */
    @CheckForNull
    public String getSpecFile() {
        return specFile;
    }

    @DataBoundSetter
    public void setSpecFile(String specFile) {
        this.specFile = FormText.blankToNull(specFile);
    }

    /** Which build, when the spec holds several. */
    @CheckForNull
    public String getName() {
        return name;
    }

    @DataBoundSetter
    public void setName(String name) {
        this.name = FormText.blankToNull(name);
    }

    /** The region of builds that name none; else the first default region. */
    @CheckForNull
    public String getRegion() {
        return region;
    }

    @DataBoundSetter
    public void setRegion(String region) {
        this.region = FormText.blankToNull(region);
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    @Extension
    public static final class DescriptorImpl extends AmiBuilderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Build an AMI (AMI Factory)";
        }

        /** The spec as the engine reads it, with the build name and region of the form; the message names its line. */
        @POST
        public FormValidation doCheckSpec(@AncestorInPath Item item, @QueryParameter String value,
                                          @QueryParameter String specFile, @QueryParameter String name,
                                          @QueryParameter String region) {
            if (!StepForms.mayCheck(item, Item.CONFIGURE)) {
                return FormValidation.ok();
            }
            return RequestChecks.buildSpec(value, specFile, name, region);
        }
    }
}
