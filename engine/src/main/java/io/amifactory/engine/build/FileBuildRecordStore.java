package io.amifactory.engine.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Keeps a build record in one JSON file, replaced atomically on every save so that a process killed
 * mid-write leaves the previous record, never half a file.
 */
public final class FileBuildRecordStore implements BuildRecordStore {
    private final Path file;

    public FileBuildRecordStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** The file a build's record goes to inside a state directory. */
    public static FileBuildRecordStore inDirectory(Path dir, String buildId) {
        return new FileBuildRecordStore(dir.resolve(buildId + ".json"));
    }

    public Path file() {
        return file;
    }

    @Override
    public void save(BuildRecord record) {
        String json = record.toJson();
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                restrict(tmp);
                Files.writeString(tmp, json, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the build state to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a record saved by this store; the message names the file when it is missing or unreadable. */
    public static BuildRecord load(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build state " + file + ": " + e.getMessage(), e);
        }
        try {
            return BuildRecord.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static void restrict(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system; the record holds no secrets anyway
        }
    }
}
