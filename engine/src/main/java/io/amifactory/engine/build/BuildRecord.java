package io.amifactory.engine.build;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amifactory.engine.build.spec.BuildSpec;
import java.io.Serializable;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a build needs to continue or clean up after its process died: which phases it planned, how far
 * it got, and every resource it created (instance, images per region, published parameters). The machine
 * saves it after every transition through a {@link BuildRecordStore}; it is plain JSON ({@link #toJson()})
 * and {@link Serializable}, so a Jenkins step execution can keep it as it is. It never holds user data or
 * anything secret.
 *
 * <p>A record belongs to one {@link BuildMachine}, which changes it under its lock; everyone else reads a
 * {@link #copy()}.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class BuildRecord implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;
    /** How long after the build's deadline a reaper may terminate its instance: time for cleanups to run. */
    static final Duration EXPIRY_GRACE = Duration.ofMinutes(30);

    private static final ObjectMapper JSON = io.amifactory.engine.Json.MAPPER;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** Where the machine is. */
    public enum State { RUNNING, UNWINDING, FINISHED }

    int format = FORMAT;
    String buildId;
    String name;
    String region;
    String builtBy;
    boolean dryRun;
    String specFile;
    String specDigest;
    String startedAt;
    String deadline;
    String expiresAt;

    State state = State.RUNNING;
    BuildStatus outcome;
    List<String> phases = new ArrayList<>();
    int phase;
    int phasesStarted;
    int cleanup = -1;
    String phaseStartedAt;
    int polls;
    int errorsInARow;
    String unwindStartedAt;
    String finishedAt;

    ResolvedSource source;
    String imageName;
    String imageDescription;
    String instanceId;

    // customisation progress
    List<String> consoleTail = new ArrayList<>();
    /** When the console was last read, and the instance's state then: the next read is due on a change. */
    String consoleReadAt;
    String consoleState;
    boolean customisationStarted;
    Integer exitCode;
    String stoppedSeenAt;
    boolean stopRequested;
    boolean agentOnline;
    boolean commandSent;
    String commandId;
    int stdoutChars;
    int stderrChars;
    String automationExecutionId;
    boolean automationFinished;
    Map<String, String> automationSteps = new LinkedHashMap<>();

    /** Region → the image there (the build region's is the original, the others are copies). */
    Map<String, RegionImage> images = new LinkedHashMap<>();
    String deprecateAt;
    /** "region path" → what was there before the build wrote it. */
    Map<String, PublishedParameter> published = new LinkedHashMap<>();

    List<String> warnings = new ArrayList<>();
    List<String> leftovers = new ArrayList<>();
    String error;
    String failedPhase;

    BuildRecord() {
    }

    /**
     * A new build of {@code spec}, started now.
     *
     * @param builtBy provenance for the AMI tag: "cli", or the Jenkins job and build number
     */
    public static BuildRecord start(BuildSpec spec, String builtBy, Clock clock) {
        return start(spec, builtBy, clock, newBuildId(spec.name(), clock.instant()));
    }

    /** As {@link #start(BuildSpec, String, Clock)} with a build id chosen by the caller (unique per build). */
    public static BuildRecord start(BuildSpec spec, String builtBy, Clock clock, String buildId) {
        BuildRecord r = new BuildRecord();
        Instant now = clock.instant();
        r.buildId = Objects.requireNonNull(buildId, "buildId");
        r.name = spec.name();
        r.region = spec.region();
        r.builtBy = builtBy == null || builtBy.isBlank() ? "cli" : builtBy;
        r.dryRun = spec.dryRun();
        r.startedAt = now.toString();
        r.deadline = now.plus(spec.timeout()).toString();
        r.expiresAt = now.plus(spec.timeout()).plus(EXPIRY_GRACE).toString();
        return r;
    }

    /** {@code name-yyyyMMdd-HHmmss-xxxxxx}: readable, sortable, and unique enough for tags and markers. */
    public static String newBuildId(String name, Instant now) {
        return name + "-" + ID_TIME.format(now) + "-" + String.format("%06x", RANDOM.nextInt(1 << 24));
    }

    // ---- reading

    public String buildId() {
        return buildId;
    }

    public String name() {
        return name;
    }

    public String region() {
        return region;
    }

    public String builtBy() {
        return builtBy;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public State state() {
        return state;
    }

    public boolean isFinished() {
        return state == State.FINISHED;
    }

    /** The final status once finished; while cleanups run, the status they are heading for; else null. */
    public BuildStatus outcome() {
        return outcome;
    }

    public Instant startedAt() {
        return Instant.parse(startedAt);
    }

    public Instant deadline() {
        return Instant.parse(deadline);
    }

    /** When the build instance's {@code amifactory:expires} tag says a reaper may terminate it. */
    public Instant expiresAt() {
        return Instant.parse(expiresAt);
    }

    /** The phase running (or being cleaned up), by name. */
    public String currentPhase() {
        if (state == State.UNWINDING && cleanup >= 0 && cleanup < phases.size()) {
            return phases.get(cleanup);
        }
        return phase < phases.size() ? phases.get(phase) : null;
    }

    public List<String> phases() {
        return List.copyOf(phases);
    }

    public ResolvedSource source() {
        return source;
    }

    public String imageName() {
        return imageName;
    }

    public String instanceId() {
        return instanceId;
    }

    /** Region → AMI id, for every image the build made (or is making). */
    public Map<String, String> imageIds() {
        Map<String, String> out = new LinkedHashMap<>();
        images.forEach((region, image) -> {
            if (image.imageId != null) {
                out.put(region, image.imageId);
            }
        });
        return out;
    }

    public String error() {
        return error;
    }

    public String failedPhase() {
        return failedPhase;
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Resources the cleanups could not remove, in words (with ids). Empty when everything was tidied. */
    public List<String> leftovers() {
        return List.copyOf(leftovers);
    }

    public String specFile() {
        return specFile;
    }

    public String specDigest() {
        return specDigest;
    }

    /** Remembers where the spec came from, so that a resumed build can check it is unchanged. */
    public BuildRecord withSpecOrigin(String file, String digest) {
        this.specFile = file;
        this.specDigest = digest;
        return this;
    }

    // ---- package helpers

    /**
     * Starts the build's clock now: a build queued behind others (bounded concurrency) gets its whole timeout
     * from the moment it really starts.
     */
    void startClock(Instant now) {
        Duration timeout = Duration.between(startedAt(), deadline());
        startedAt = now.toString();
        deadline = now.plus(timeout).toString();
        expiresAt = now.plus(timeout).plus(EXPIRY_GRACE).toString();
    }

    RegionImage image(String region) {
        return images.computeIfAbsent(region, r -> new RegionImage());
    }

    RegionImage existingImage(String region) {
        return images.get(region);
    }

    Instant instant(String iso) {
        return iso == null ? null : Instant.parse(iso);
    }

    // ---- JSON

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write build record: " + e.getMessage(), e);
        }
    }

    /** Reads a record; a record from a newer format is refused rather than misread. */
    public static BuildRecord fromJson(String json) {
        BuildRecord r;
        try {
            r = JSON.readValue(json, BuildRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a build record: " + e.getOriginalMessage(), e);
        }
        if (r.format > FORMAT) {
            throw new IllegalArgumentException("build record format " + r.format + " is newer than this version understands");
        }
        if (r.buildId == null || r.region == null || r.startedAt == null) {
            throw new IllegalArgumentException("not a build record: buildId, region or startedAt missing");
        }
        return r;
    }

    public BuildRecord copy() {
        return fromJson(toJson());
    }

    /** One region's image. */
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
            isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    static final class RegionImage implements Serializable {
        private static final long serialVersionUID = 1L;
        String imageId;
        List<String> snapshotIds = new ArrayList<>();
        boolean available;
        boolean tagged;
        boolean deprecated;
        boolean shared;
    }

    /** A parameter the build writes, and what it held before (restored if the build fails). */
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
            isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    static final class PublishedParameter implements Serializable {
        private static final long serialVersionUID = 1L;
        String region;
        String path;
        boolean existed;
        String previousValue;
        String previousDataType;
        boolean written;
        boolean restored;
    }
}
