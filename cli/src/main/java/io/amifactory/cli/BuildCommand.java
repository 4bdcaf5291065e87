package io.amifactory.cli;

import io.amifactory.engine.Json;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.build.BuildBatch;
import io.amifactory.engine.build.BuildMachine;
import io.amifactory.engine.build.BuildRecord;
import io.amifactory.engine.build.BuildRecordStore;
import io.amifactory.engine.build.BuildResult;
import io.amifactory.engine.build.BuildServices;
import io.amifactory.engine.build.BuildStatus;
import io.amifactory.engine.build.Ec2SourceResolver;
import io.amifactory.engine.build.FileBuildRecordStore;
import io.amifactory.engine.build.WakeableSleeper;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.build.spec.BuildSpecReader;
import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.TrackedImagesLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code amifactory build}: build the AMIs of a spec, or resume (or clean up) one build whose process died. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {
            "Build customised AMIs from a spec (docs/building.md): launch from the source AMI, customise, create the "
                    + "image, copy, share, publish; every build instance is terminated, and a failed build leaves no AMI.",
            "Exit 0: every build succeeded (or the dry run found nothing in the way); 1: some build failed, was "
                    + "aborted or timed out (the others ran to the end); 2: invalid spec or options, no credentials, or "
                    + "every build stopped at its checks before creating anything."
        })
public final class BuildCommand implements Callable<Integer> {
    /** How long Ctrl-C waits for the cleanups before the process exits anyway (the reaper gets the rest). */
    static final Duration CLEANUP_WAIT = Duration.ofMinutes(25);
    private static final Set<String> CHECK_PHASES = Set.of("resolve", "preflight");

    @Mixin
    AwsOptions aws;

    @Spec
    CommandSpec spec;

    @Option(names = "--spec", paramLabel = "FILE", description = "Build spec, YAML or JSON (ours, or seed 001's {\"amis\":[...]} payload).")
    Path specFile;

    @Option(names = "--only", paramLabel = "NAME", split = ",", description = "Build only these builds of the spec. Repeatable.")
    List<String> only = new ArrayList<>();

    @Option(names = "--json", description = "Print {\"builds\":[{name, status, sourceImage, images, buildInstance, error, ...}]}.")
    boolean json;

    @Option(names = "--dry-run", description = "Resolve, check and ask EC2 (DryRun) whether the launch and copies are "
            + "allowed; print what would be done. Creates nothing.")
    boolean dryRun;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where build states are kept. Default: ~/.amifactory/builds.")
    Path stateDir;

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue the build whose state is in FILE (or clean it up "
            + "if its spec changed or is gone).")
    Path resume;

    @Option(names = "--abort", description = "With --resume: clean the build up instead of continuing it.")
    boolean abort;

    @Option(names = "--region", paramLabel = "R", description = "Region of builds whose spec names none. Default: AWS_REGION or the profile's.")
    String region;

    @Option(names = "--tracked-images", paramLabel = "FILE", description = "Tracked images (as for check --config), for "
            + "builds whose source is a tracked image name.")
    Path trackedImages;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", description = "Builds run at once. Default: ${DEFAULT-VALUE}.")
    int parallel;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        try (AwsOptions closing = aws) {
            return resume != null ? resume() : buildSpec();
        }
    }

    private void checkOptions() {
        if ((specFile == null) == (resume == null)) {
            throw new UsageException("give --spec FILE to start builds or --resume FILE to continue one");
        }
        if (abort && resume == null) {
            throw new UsageException("--abort goes with --resume FILE");
        }
        if (resume != null && (dryRun || !only.isEmpty())) {
            throw new UsageException("--dry-run and --only go with --spec, not --resume");
        }
        if (parallel < 1) {
            throw new UsageException("--parallel must be at least 1");
        }
        if (region != null && io.amifactory.engine.aws.RegionNames.problem(region) != null) {
            throw new UsageException("--region: " + io.amifactory.engine.aws.RegionNames.problem(region));
        }
    }

    // ---- new builds

    private int buildSpec() throws Exception {
        List<String> regions = aws.defaultRegions(region == null ? List.of() : List.of(region));
        List<BuildSpec> specs = new BuildSpecReader(regions.isEmpty() ? null : regions.get(0)).read(specFile);
        specs = select(specs);
        Map<String, TrackedImage> tracked = loadTrackedImages();
        String digest = digest(specFile);
        Path states = stateDirectory();

        AwsClients clients = aws.clients();
        clients.verifyCredentials();
        BuildServices base = services(clients, tracked);
        ProgressListener progress = progress();
        Clock clock = Clock.systemUTC();

        List<BuildMachine> machines = new ArrayList<>();
        Map<String, Path> stateFiles = new LinkedHashMap<>();
        for (BuildSpec s : specs) {
            BuildSpec build = dryRun ? s.withDryRun(true) : s;
            BuildRecord record = BuildRecord.start(build, "cli", clock)
                    .withSpecOrigin(specFile.toAbsolutePath().toString(), digest);
            BuildRecordStore store = BuildRecordStore.NONE;
            if (!build.dryRun()) {
                FileBuildRecordStore file = FileBuildRecordStore.inDirectory(states, record.buildId());
                store = file;
                stateFiles.put(record.buildId(), file.file());
                progress.info("[" + build.name() + "] build " + record.buildId() + "; state in " + file.file()
                        + " (amifactory build --resume " + file.file() + " continues it if this process dies)");
            }
            machines.add(new BuildMachine(build, record, base.withStore(store), progress, clock));
        }
        List<BuildResult> results = runAll(machines);
        print(results, stateFiles);
        return exitCode(results);
    }

    private List<BuildSpec> select(List<BuildSpec> specs) {
        if (only.isEmpty()) {
            return specs;
        }
        List<String> names = specs.stream().map(BuildSpec::name).toList();
        for (String o : only) {
            if (!names.contains(o)) {
                throw new UsageException("--only " + o + ": " + specFile + " has no build named so (it has "
                        + String.join(", ", names) + ")");
            }
        }
        return specs.stream().filter(s -> only.contains(s.name())).toList();
    }

    // ---- resuming

    private int resume() throws Exception {
        BuildRecord record;
        try {
            record = FileBuildRecordStore.load(resume);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new UsageException("--resume: " + e.getMessage());
        }
        Map<String, Path> stateFiles = Map.of(record.buildId(), resume.toAbsolutePath());
        if (record.isFinished()) {
            List<BuildResult> done = List.of(BuildResult.of(record));
            print(done, stateFiles);
            return exitCode(done);
        }
        AwsClients clients = aws.clients();
        clients.verifyCredentials();
        ProgressListener progress = progress();
        BuildServices services = services(clients, loadTrackedImages()).withStore(new FileBuildRecordStore(resume));
        Clock clock = Clock.systemUTC();
        BuildMachine machine;
        Optional<BuildSpec> same = abort ? Optional.empty() : sameSpec(record, progress);
        if (same.isPresent()) {
            progress.info("[" + record.name() + "] resuming build " + record.buildId() + " in phase " + record.currentPhase());
            machine = new BuildMachine(same.get(), record, services, progress, clock);
        } else {
            String why = abort ? "--abort" : "the spec is not the one the build started with";
            progress.info("[" + record.name() + "] cleaning up build " + record.buildId() + " (" + why + ")");
            machine = BuildMachine.forCleanup(record, services, progress, clock, why);
        }
        List<BuildResult> results = runAll(List.of(machine));
        print(results, stateFiles);
        return exitCode(results);
    }

    /** The build's spec if its file is still there, unchanged; else the build can only be cleaned up. */
    private Optional<BuildSpec> sameSpec(BuildRecord record, ProgressListener progress) {
        if (record.specFile() == null) {
            return Optional.empty();
        }
        Path file = Path.of(record.specFile());
        if (!Files.isRegularFile(file)) {
            progress.warn("[" + record.name() + "] the spec " + file + " is gone; the build cannot continue");
            return Optional.empty();
        }
        if (!digest(file).equals(record.specDigest())) {
            progress.warn("[" + record.name() + "] the spec " + file + " changed since the build started; it cannot "
                    + "continue (start a new build for the new spec)");
            return Optional.empty();
        }
        return new BuildSpecReader(record.region()).read(file).stream()
                .filter(s -> s.name().equals(record.name()) && s.region().equals(record.region()))
                .findFirst();
    }

    // ---- running

    private List<BuildResult> runAll(List<BuildMachine> machines) throws InterruptedException {
        BuildBatch batch = new BuildBatch(parallel, new WakeableSleeper());
        // Ctrl-C: abort every build and keep the process alive until their cleanups have run.
        Thread hook = new Thread(() -> {
            batch.abortAll("interrupted (Ctrl-C)");
            try {
                batch.awaitFinished(CLEANUP_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "amifactory-build-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return batch.run(machines);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for what is left
            }
        }
    }

    private BuildServices services(AwsClients clients, Map<String, TrackedImage> tracked) {
        return BuildServices.of(clients, null).withSources(
                new Ec2SourceResolver(clients, name -> Optional.ofNullable(tracked.get(name))));
    }

    private Map<String, TrackedImage> loadTrackedImages() {
        Map<String, TrackedImage> out = new LinkedHashMap<>();
        if (trackedImages != null) {
            TrackedImagesLoader.load(trackedImages).images().forEach(i -> out.put(i.name(), i));
        }
        return out;
    }

    private ProgressListener progress() {
        PrintWriter err = spec.commandLine().getErr();
        return new ProgressListener() {
            @Override
            public void info(String line) {
                synchronized (err) {
                    err.println(line);
                    err.flush();
                }
            }
        };
    }

    private Path stateDirectory() {
        return stateDir != null ? stateDir : Path.of(System.getProperty("user.home"), ".amifactory", "builds");
    }

    // ---- reporting

    private void print(List<BuildResult> results, Map<String, Path> stateFiles) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(BuildJson.of(results, stateFiles)));
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"BUILD", "STATUS", "SOURCE", "IMAGES / ERROR"});
            for (BuildResult r : results) {
                String detail;
                if (!r.images().isEmpty()) {
                    List<String> where = new ArrayList<>();
                    r.images().forEach((reg, id) -> where.add(id + " (" + reg + ")"));
                    detail = String.join(", ", where);
                } else if (r.error() != null) {
                    detail = (r.failedPhase() != null ? r.failedPhase() + ": " : "") + r.error();
                } else {
                    detail = "-";
                }
                rows.add(new String[] {r.name(), r.status().label(), r.sourceImage() == null ? "-" : r.sourceImage(), detail});
            }
            Table.print(out, rows);
            for (BuildResult r : results) {
                for (String left : r.leftovers()) {
                    out.println(r.name() + ": LEFT BEHIND: " + left);
                }
            }
        }
        out.flush();
    }

    /** 0 all good; 2 when nothing was even attempted (every build stopped at its checks); else 1 if any failed. */
    static int exitCode(List<BuildResult> results) {
        if (results.stream().allMatch(BuildResult::succeeded)) {
            return ExitCode.OK;
        }
        boolean allStoppedAtChecks = results.stream().allMatch(r -> r.status() == BuildStatus.FAILED
                && r.failedPhase() != null && CHECK_PHASES.contains(r.failedPhase()));
        return allStoppedAtChecks ? ExitCode.INVALID : ExitCode.PARTIAL;
    }

    static String digest(Path file) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            return HexFormat.of().formatHex(h);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
