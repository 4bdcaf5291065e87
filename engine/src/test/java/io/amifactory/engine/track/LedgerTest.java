package io.amifactory.engine.track;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
    @TempDir
    Path dir;

    private static LedgerEntry entry(String id) {
        return new LedgerEntry(id, "name-" + id, "2026-01-01T00:00:00.000Z", Instant.EPOCH, Instant.EPOCH, null, List.of(id));
    }

    @Test
    void roundTripsThroughTheFile() {
        Ledger ledger = new Ledger(dir.resolve("sub/state.json"));
        ledger.update(s -> {
            s.put("al", "us-east-1", entry("ami-1"));
            return null;
        });
        assertEquals(entry("ami-1"), new Ledger(dir.resolve("sub/state.json")).snapshot().get("al").get("us-east-1"));
    }

    @Test
    void aFailedWriteLeavesTheOldFileWholeAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("state.json");
        new Ledger(file).update(s -> {
            s.put("al", "us-east-1", entry("ami-1"));
            return null;
        });
        byte[] before = Files.readAllBytes(file);
        Ledger crashing = new Ledger(file, tmp -> {
            assertTrue(Files.size(tmp) > 0, "the new content is complete on disk before the rename");
            throw new IOException("disk gone");
        });
        LedgerException e = assertThrows(LedgerException.class, () -> crashing.update(s -> {
            s.put("al", "us-east-1", entry("ami-2"));
            return null;
        }));
        assertTrue(e.getMessage().contains("disk gone"));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("state.json", "state.json.lock"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aChangeThatThrowsWritesNothing() throws IOException {
        Path file = dir.resolve("state.json");
        Ledger ledger = new Ledger(file);
        assertThrows(IllegalStateException.class, () -> ledger.update(s -> {
            s.put("al", "us-east-1", entry("ami-1"));
            throw new IllegalStateException("boom");
        }));
        assertTrue(Files.notExists(file));
    }

    @Test
    void aCorruptFileIsAClearErrorAndIsNeverReset() throws IOException {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "{\"format\":1,\"images\":{\"al\":{\"us-east-1\":{\"imageId\":", StandardCharsets.UTF_8);
        byte[] before = Files.readAllBytes(file);
        Ledger ledger = new Ledger(file);
        LedgerException e = assertThrows(LedgerException.class, ledger::snapshot);
        assertTrue(e.getMessage().startsWith("the state file " + file.toAbsolutePath() + " is not valid"), e.getMessage());
        assertTrue(e.getMessage().contains("move it away to start over"));
        assertThrows(LedgerException.class, () -> ledger.update(s -> null));
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void anUnknownFormatIsRejected() throws IOException {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "{\"format\":7,\"images\":{}}");
        LedgerException e = assertThrows(LedgerException.class, () -> new Ledger(file).snapshot());
        assertTrue(e.getMessage().contains("unknown format 7"), e.getMessage());
    }

    @Test
    void aMissingFileIsAnEmptyLedger() {
        assertTrue(new Ledger(dir.resolve("none.json")).snapshot().isEmpty());
        assertTrue(new Ledger(dir.resolve("none.json")).pendingEvents().isEmpty());
    }

    @Test
    void aTemporaryFileLeftByAKilledWriterIsRemovedByTheNextUpdate() throws IOException {
        Path file = dir.resolve("state.json");
        Ledger ledger = new Ledger(file);
        ledger.update(s -> {
            s.put("al", "us-east-1", entry("ami-1"));
            return null;
        });
        Path abandoned = dir.resolve(".state.json.123456.tmp");
        Files.writeString(abandoned, "{\"format\":1,\"images\":{}}");
        Path unrelated = dir.resolve(".other.json.1.tmp");
        Files.writeString(unrelated, "x");
        ledger.update(s -> null);
        assertTrue(Files.notExists(abandoned));
        assertTrue(Files.exists(unrelated), "only this state file's temporary files are touched");
        assertEquals(entry("ami-1"), ledger.snapshot().get("al").get("us-east-1"));
    }
}
