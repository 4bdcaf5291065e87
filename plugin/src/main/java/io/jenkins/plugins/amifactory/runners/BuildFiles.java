package io.jenkins.plugins.amifactory.runners;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.XmlFile;
import hudson.model.Run;
import io.amifactory.engine.build.BuildRecord;
import io.amifactory.engine.build.FileBuildRecordStore;
import io.jenkins.plugins.amifactory.aws.AwsAccess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Where one AMI build keeps what it must not lose: its engine record and the spec it was started with, in
 * {@code ami-factory/<key>/} under its Jenkins build's directory, written before the engine's first AWS call and
 * by the engine before every call that creates something. The Pipeline program is not that place: it is saved
 * when the Pipeline chooses (never, under the performance-optimized durability hint), while the record must be on
 * disk before an instance exists. While the build is unfinished an entry in {@link OpenBuilds} names it, so that
 * {@link AbandonedBuilds} can clean up after a build whose Jenkins build ended without it.
 */
@Restricted(NoExternalUse.class)
public final class BuildFiles {
    private final String runId;
    private final String key;
    private final Path dir;

    private BuildFiles(String runId, String key, Path dir) {
        this.runId = runId;
        this.key = key;
        this.dir = dir;
    }

    /** @param key unique among the AMI builds of this Jenkins build (a step's or builder's own id) */
    @NonNull
    public static BuildFiles of(@NonNull Run<?, ?> run, @NonNull String key) {
        return new BuildFiles(run.getExternalizableId(), key, run.getRootDir().toPath().resolve("ami-factory").resolve(key));
    }

    public String key() {
        return key;
    }

    public String runId() {
        return runId;
    }

    public FileBuildRecordStore store() {
        return new FileBuildRecordStore(dir.resolve("record.json"));
    }

    /** The saved record; null before the build was recorded. */
    @CheckForNull
    public BuildRecord record() {
        Path file = store().file();
        return Files.exists(file) ? FileBuildRecordStore.load(file) : null;
    }

    /** Records a new build: its spec, then its record, then the open-builds entry; nothing is in AWS yet. */
    public void start(AmiBuildDocument document, BuildRecord record, AwsAccess access) {
        try {
            Files.createDirectories(dir);
            new XmlFile(Jenkins.XSTREAM2, documentFile()).write(document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the build spec to " + documentFile() + ": " + e.getMessage(), e);
        }
        store().save(record);
        OpenBuilds.add(this, access, record.region());
    }

    /** The spec the build was started with; null before it was started. */
    @CheckForNull
    public AmiBuildDocument document() {
        XmlFile file = new XmlFile(Jenkins.XSTREAM2, documentFile());
        if (!file.exists()) {
            return null;
        }
        try {
            return (AmiBuildDocument) file.read();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build spec " + documentFile() + ": " + e.getMessage(), e);
        }
    }

    /** The build has nothing left in AWS to clean up. */
    public void finished() {
        OpenBuilds.remove(key);
    }

    private File documentFile() {
        return dir.resolve("spec.xml").toFile();
    }
}
