package org.nasengine.nas.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.nas.space.MacroCnn;

/** trials.jsonl as damage finds it: each kind of damaged line named by number, a torn tail left out, --repair's rewrite. */
class TrialLogDamageTest {
    private static Trial trial(int id) {
        MacroCnn arch = new MacroCnn(List.of(new MacroCnn.Layer(3, 3, 8 + id, 1)));
        return new Trial(id, id / 2, "random", arch, 0.1 + id / 100.0, 0.1 + id / 100.0, 100 + id, 1e5, 0.5, "ok", null, Double.NaN, 0);
    }

    private static Path log(Path dir, int records) throws Exception {
        Path file = dir.resolve("trials.jsonl");
        try (TrialLog log = TrialLog.open(file)) {
            for (int i = 0; i < records; i++) log.append(trial(i));
        }
        return file;
    }

    /** The file with line {@code index} (0-based) replaced by {@code bytes} (its newline kept). */
    private static void replaceLine(Path file, int index, byte[] bytes) throws Exception {
        List<byte[]> lines = new ArrayList<>();
        byte[] all = Files.readAllBytes(file);
        for (int start = 0, i = 0; i < all.length; i++)
            if (all[i] == '\n') {
                lines.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        lines.set(index, bytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] l : lines) {
            out.write(l);
            out.write('\n');
        }
        Files.write(file, out.toByteArray());
    }

    @Test
    void everyLineCarriesItsChecksumAndReadsBack(@TempDir Path dir) throws Exception {
        Path file = log(dir, 4);
        for (String line : Files.readAllLines(file)) assertTrue(line.matches(".*,\"crc32c\":\"[0-9a-f]{8}\"}"), line);
        List<Trial> read = TrialLog.read(file);
        assertEquals(4, read.size());
        for (int i = 0; i < 4; i++) assertEquals(trial(i).arch(), read.get(i).arch());
        assertEquals(trial(3).reward(), read.get(3).reward(), 0);
    }

    @Test
    void eachKindOfDamageIsFoundWithItsLineNumber(@TempDir Path dir) throws Exception {
        String[][] cases = { // what is written over line 3, what the problem says
                {"changed", "checksum mismatch"},
                {"zeros", "zero bytes in the record"},
                {"binary", "not text"},
                {"cut", "cut short"},
                {"garbage", "not a trial record"},
                {"other", "not a trial record (no arch, status or strategy)"},
        };
        for (String[] c : cases) {
            Path file = log(Files.createDirectories(dir.resolve(c[0])), 6);
            String line3 = Files.readAllLines(file).get(2);
            byte[] bytes = switch (c[0]) {
                case "changed" -> line3.replace("\"params\":102", "\"params\":103").getBytes(StandardCharsets.UTF_8);
                case "zeros" -> new byte[line3.length()];
                case "binary" -> new byte[] {'{', (byte) 0xc3, (byte) 0x28, '}'};
                case "cut" -> line3.substring(0, 40).getBytes(StandardCharsets.UTF_8);
                case "garbage" -> "not json at all".getBytes(StandardCharsets.UTF_8);
                default -> "{\"id\": 2}".getBytes(StandardCharsets.UTF_8);
            };
            replaceLine(file, 2, bytes);
            TrialLog.Scan scan = TrialLog.scan(file);
            assertEquals(5, scan.trials().size(), c[0]);
            assertEquals(1, scan.damaged().size(), c[0]);
            assertEquals(3, scan.damaged().getFirst().line(), c[0]);
            assertTrue(scan.damaged().getFirst().problem().startsWith(c[1]), c[0] + ": " + scan.damaged().getFirst().problem());
            DamagedFileException e = assertThrows(DamagedFileException.class, () -> TrialLog.read(file), c[0]);
            assertEquals(3, e.line());
            assertTrue(e.getMessage().startsWith(file + " line 3: " + c[1]), e.getMessage());
        }
    }

    @Test
    void aTornLastLineIsLeftOutAndCutWhenTheLogReopens(@TempDir Path dir) throws Exception {
        Path file = log(dir, 3);
        Files.write(file, "{\"id\":3,\"st".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        TrialLog.Scan scan = TrialLog.scan(file);
        assertTrue(scan.tornTail());
        assertTrue(scan.damaged().isEmpty(), "a torn last line is a kill during the write, not damage");
        assertEquals(3, TrialLog.read(file).size());
        try (TrialLog log = TrialLog.open(file)) {
            log.append(trial(3));
        }
        assertEquals(4, TrialLog.read(file).size());
        assertFalse(TrialLog.scan(file).tornTail());
    }

    @Test
    void repairDropsOnlyTheDamagedLinesAndKeepsTheOriginal(@TempDir Path dir) throws Exception {
        Path file = log(dir, 6);
        List<String> good = Files.readAllLines(file);
        assertNull(TrialLog.repair(file), "nothing to repair");
        replaceLine(file, 1, "garbage".getBytes(StandardCharsets.UTF_8));
        replaceLine(file, 4, new byte[10]);
        Files.write(file, "{\"torn".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        byte[] damaged = Files.readAllBytes(file);

        Path copy = TrialLog.repair(file);
        assertEquals(dir.resolve("trials.jsonl.orig"), copy);
        assertArrayEquals(damaged, Files.readAllBytes(copy), "the original, byte for byte");
        assertEquals(List.of(good.get(0), good.get(2), good.get(3), good.get(5)), Files.readAllLines(file), "good lines kept as they were");
        assertEquals(4, TrialLog.read(file).size());

        replaceLine(file, 0, "again".getBytes(StandardCharsets.UTF_8));
        assertEquals(dir.resolve("trials.jsonl.orig.2"), TrialLog.repair(file), "an earlier copy is never overwritten");
        assertArrayEquals(damaged, Files.readAllBytes(copy));
    }

    @Test
    void linesWithoutAChecksumFromEarlierVersionsStillRead(@TempDir Path dir) throws Exception {
        Path file = log(dir, 3);
        List<String> old = Files.readAllLines(file).stream().map(l -> l.replaceFirst(",\"crc32c\":\"[0-9a-f]{8}\"}$", "}")).toList();
        Files.write(file, old);
        assertEquals(3, TrialLog.read(file).size());
        try (TrialLog log = TrialLog.open(file)) {
            log.append(trial(3)); // a resumed old search goes on with checksums
        }
        assertEquals(4, TrialLog.read(file).size());
    }
}
