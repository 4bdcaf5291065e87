package io.amifactory.engine.track;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amifactory.engine.Json;
import io.amifactory.engine.aws.AwsErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The last-seen AMI of every tracked image in every region, with a short history, and the release events
 * not yet acknowledged (an outbox: an event is handed out until its consumer acknowledges it, so a crash
 * between detection and delivery loses nothing). One JSON file (format in docs/tracking.md), replaced
 * atomically — written to a temporary file in the same folder, flushed to disk, renamed over the old one —
 * so a crash leaves either the old or the new file, never half of one. Updates hold an exclusive lock
 * on {@code FILE.lock}, so two processes never interleave their read-modify-write.
 */
public final class Ledger {
    public static final int HISTORY_SIZE = 20;
    static final int FORMAT = 1;

    /** One monitor per file in this JVM: a FileLock cannot be taken twice by the same process. */
    private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

    /** Called after the new content is on disk in the temporary file, before the rename (for tests). */
    interface BeforeReplace {
        void run(Path temporary) throws IOException;
    }

    /** The mutable content of the file during an update. */
    static final class State {
        final Map<String, Map<String, LedgerEntry>> entries;
        final List<ReleaseEvent> pending;

        State(Map<String, Map<String, LedgerEntry>> entries, List<ReleaseEvent> pending) {
            this.entries = entries;
            this.pending = pending;
        }

        LedgerEntry get(String image, String region) {
            Map<String, LedgerEntry> regions = entries.get(image);
            return regions == null ? null : regions.get(region);
        }

        void put(String image, String region, LedgerEntry entry) {
            entries.computeIfAbsent(image, k -> new LinkedHashMap<>()).put(region, entry);
        }
    }

    private final Path file;
    private final BeforeReplace beforeReplace;

    public Ledger(Path file) {
        this(file, t -> { });
    }

    Ledger(Path file, BeforeReplace beforeReplace) {
        this.file = file.toAbsolutePath().normalize();
        this.beforeReplace = beforeReplace;
    }

    public Path file() {
        return file;
    }

    /** Everything recorded: image → region → entry. Empty when the file does not exist yet. */
    public Map<String, Map<String, LedgerEntry>> snapshot() {
        Map<String, Map<String, LedgerEntry>> copy = new LinkedHashMap<>();
        read().entries.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        return Collections.unmodifiableMap(copy);
    }

    /** Release events not yet acknowledged, oldest first. */
    public List<ReleaseEvent> pendingEvents() {
        return List.copyOf(read().pending);
    }

    /** Removes an event from the outbox; unknown ids are ignored (acknowledging is idempotent). */
    public void acknowledge(String eventId) {
        update(s -> s.pending.removeIf(e -> e.id().equals(eventId)));
    }

    /**
     * Reads, changes and writes the file under the lock. Nothing is written when {@code change} throws.
     */
    <T> T update(Function<State, T> change) {
        Object monitor = MONITORS.computeIfAbsent(file, f -> new Object());
        synchronized (monitor) {
            try {
                Files.createDirectories(file.getParent());
                try (FileChannel lockChannel = FileChannel.open(lockFile(),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock lock = lockChannel.lock()) {
                    removeAbandonedTemporaryFiles();
                    State state = read();
                    T result = change.apply(state);
                    write(state);
                    return result;
                }
            } catch (IOException e) {
                // Locking or writing on an interrupted thread fails (ClosedByInterruptException): not the file's fault.
                AwsErrors.throwIfInterruption(e, "updating the state file " + file);
                throw new LedgerException("cannot update the state file " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * A process killed between writing its temporary file and renaming it leaves the temporary file
     * behind (the state file itself is whole). Only a lock holder writes temporary files, so under the
     * lock any that exist are abandoned.
     */
    private void removeAbandonedTemporaryFiles() throws IOException {
        String prefix = "." + file.getFileName() + ".";
        try (java.util.stream.Stream<Path> siblings = Files.list(file.getParent())) {
            for (Path p : siblings.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(".tmp");
            }).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Path lockFile() {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    State read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new State(new LinkedHashMap<>(), new ArrayList<>());
        } catch (IOException e) {
            throw new LedgerException("cannot read the state file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(bytes);
        } catch (IOException | RuntimeException e) {
            throw new LedgerException("the state file " + file + " is not valid (" + firstLine(e.getMessage())
                    + "). It was left as it is: repair it, or move it away to start over (every image is then "
                    + "recorded as a new baseline and fires nothing).", e);
        }
    }

    private static State parse(byte[] bytes) throws IOException {
        JsonNode root = Json.MAPPER.readTree(bytes);
        if (root == null || !root.isObject()) {
            throw new IOException("expected a JSON object");
        }
        int format = root.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new IOException("unknown format " + root.path("format") + ", expected " + FORMAT);
        }
        Map<String, Map<String, LedgerEntry>> entries = new LinkedHashMap<>();
        JsonNode images = root.path("images");
        if (!images.isObject()) {
            throw new IOException("'images' must be an object");
        }
        images.fields().forEachRemaining(img -> {
            Map<String, LedgerEntry> regions = new LinkedHashMap<>();
            img.getValue().fields().forEachRemaining(r -> regions.put(r.getKey(), entryOf(r.getValue())));
            entries.put(img.getKey(), regions);
        });
        List<ReleaseEvent> pending = new ArrayList<>();
        root.path("pendingEvents").forEach(e -> pending.add(ReleaseEvent.fromJsonTree(e)));
        return new State(entries, pending);
    }

    private static LedgerEntry entryOf(JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("an entry must be an object");
        }
        List<String> history = new ArrayList<>();
        n.path("history").forEach(h -> history.add(h.asText()));
        return new LedgerEntry(text(n, "imageId"), text(n, "imageName"), text(n, "creationDate"),
                instant(n, "firstSeen"), instant(n, "lastChecked"), text(n, "lastError"), history);
    }

    private void write(State state) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode images = root.putObject("images");
        state.entries.forEach((image, regions) -> {
            ObjectNode r = images.putObject(image);
            regions.forEach((region, e) -> {
                ObjectNode n = r.putObject(region);
                n.put("imageId", e.imageId());
                n.put("imageName", e.imageName());
                n.put("creationDate", e.creationDate());
                n.put("firstSeen", e.firstSeen() == null ? null : e.firstSeen().toString());
                n.put("lastChecked", e.lastChecked() == null ? null : e.lastChecked().toString());
                n.put("lastError", e.lastError());
                ArrayNode h = n.putArray("history");
                e.history().forEach(h::add);
            });
        });
        ArrayNode pending = root.putArray("pendingEvents");
        state.pending.forEach(e -> pending.add(e.toJsonTree()));
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IOException(e);
        }
        replace(bytes);
    }

    private void replace(byte[] bytes) throws IOException {
        Path dir = file.getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            beforeReplace.run(tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot replace files atomically", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is fine. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort (Windows cannot open directories)
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String s = text(n, field);
        return s == null ? null : Instant.parse(s);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public String toString() {
        return "Ledger[" + file + "]";
    }

}
