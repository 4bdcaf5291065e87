package io.jenkins.plugins.amifactory.runners;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.XmlFile;
import io.jenkins.plugins.amifactory.aws.AwsAccess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The controller's list of AMI builds that may still own something in AWS: one small file per build in
 * {@code $JENKINS_HOME/ami-factory/open-builds/}, written before the build's first AWS call and removed once its
 * record says it has finished. {@link AbandonedBuilds} reads it instead of every build of every job.
 */
@Restricted(NoExternalUse.class)
public final class OpenBuilds {
    private static final Logger LOGGER = Logger.getLogger(OpenBuilds.class.getName());
    /** Builds a step or builder of this controller is driving right now: never cleaned up behind its back. */
    private static final Set<String> DRIVEN = ConcurrentHashMap.newKeySet();

    private OpenBuilds() {
    }

    /** One open build: its Jenkins build, its files' key, the identity it acts as and its region. */
    public static final class Entry {
        private final String runId;
        private final String key;
        private final AwsAccess access;
        private final String region;

        Entry(String runId, String key, AwsAccess access, String region) {
            this.runId = runId;
            this.key = key;
            this.access = access;
            this.region = region;
        }

        public String runId() {
            return runId;
        }

        public String key() {
            return key;
        }

        public AwsAccess access() {
            return access;
        }

        public String region() {
            return region;
        }
    }

    static void add(BuildFiles files, AwsAccess access, String region) {
        File file = file(files.key());
        try {
            Files.createDirectories(file.getParentFile().toPath());
            new XmlFile(Jenkins.XSTREAM2, file).write(new Entry(files.runId(), files.key(), access, region));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the open build in " + file + ": " + e.getMessage(), e);
        }
    }

    static void remove(String key) {
        try {
            Files.deleteIfExists(file(key).toPath());
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "cannot remove " + file(key), e);
        }
    }

    /** A step or builder drives this build from now on; {@link AbandonedBuilds} leaves it alone. */
    public static void driving(String key) {
        DRIVEN.add(key);
    }

    /** No step or builder of this controller drives the build any more. */
    public static void released(String key) {
        DRIVEN.remove(key);
    }

    static boolean isDriven(String key) {
        return DRIVEN.contains(key);
    }

    /** Every open build; an unreadable entry is logged and skipped. */
    @NonNull
    public static List<Entry> all() {
        List<Entry> out = new ArrayList<>();
        File[] files = dir().listFiles((d, name) -> name.endsWith(".xml"));
        if (files == null) {
            return out;
        }
        for (File f : files) {
            try {
                out.add((Entry) new XmlFile(Jenkins.XSTREAM2, f).read());
            } catch (IOException | ClassCastException e) {
                LOGGER.log(Level.WARNING, "unreadable open-build entry " + f, e);
            }
        }
        return out;
    }

    private static File dir() {
        return new File(Jenkins.get().getRootDir(), "ami-factory/open-builds");
    }

    private static File file(String key) {
        return new File(dir(), key + ".xml");
    }
}
