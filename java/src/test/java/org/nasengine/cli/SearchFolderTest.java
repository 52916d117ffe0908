package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.nas.search.FolderLock;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.search.TrialLog;

/**
 * A search folder damaged in each way a user may meet, resumed: a message naming the file, the
 * line, what is wrong and what to do, exit code 2, never a stack trace; and what --repair and the
 * previous checkpoint make of it. One small search is run once; each case damages a copy of it.
 */
class SearchFolderTest {
    record Run(int exit, String err) {}

    @TempDir static Path shared;
    static Path finished;

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            var cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute(args);
            return new Run(exit, err + errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void search() {
        finished = shared.resolve("finished");
        Run r = run("search", "--strategy", "reinforce", "--dataset", "synthetic", "--validation", "100", "--budget", "6", "--children-per-update", "3",
                "--train-subset", "300", "--layers", "2", "--max-layers", "2", "--batch", "32", "--promote", "0", "--final-epochs", "0",
                "--out", finished.toString());
        assertEquals(0, r.exit(), r.err());
    }

    private static Path copy(Path dir, String name) throws IOException {
        Path to = dir.resolve(name);
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(finished)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }

    private static void assertRefused(Run r, String... expected) {
        assertEquals(2, r.exit(), r.err());
        for (String e : expected) assertTrue(r.err().contains(e), () -> "expected '" + e + "' in: " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
    }

    private static void cutShort(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(b, b.length / 2));
    }

    private static List<Trial> trials(Path out) throws IOException {
        return TrialLog.read(out.resolve("trials.jsonl"));
    }

    /**
     * A result file that cannot be written (as on a full disk; here a folder stands in its way)
     * stops the search with a message and exit 1, not a stack trace; once there is room, --resume
     * writes the results without training a child again.
     */
    @Test
    void aResultThatCannotBeWrittenStopsWithAMessageAndResumeWritesItLater(@TempDir Path dir) throws Exception {
        Path out = copy(dir, "no-room");
        Path pareto = out.resolve("pareto.json");
        Files.delete(pareto);
        Files.createDirectories(pareto.resolve("in-the-way"));
        Run r = run("search", "--resume", out.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("error: cannot write the search's results in " + out), r.err());
        assertTrue(r.err().contains("make room, then run search --resume " + out), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(out.resolve("pareto.json.tmp")), "no half-written file left beside it");
        Files.delete(pareto.resolve("in-the-way"));
        Files.delete(pareto);
        Run again = run("search", "--resume", out.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(Files.isRegularFile(pareto) && Files.size(pareto) > 0, "written on resume");
        assertEquals(trials(finished), trials(out), "nothing trained again");
    }

    @Test
    void aCheckpointCutShortFallsBackToThePreviousOneAndSaysSo(@TempDir Path dir) throws Exception {
        Path out = copy(dir, "cut");
        cutShort(out.resolve("checkpoint.json"));
        Run r = run("search", "--resume", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("note: checkpoint.json is damaged (cut short (the JSON ends part way at line"), r.err());
        assertTrue(r.err().contains("resuming from checkpoint.prev.json (trial 3)"), r.err());
        assertEquals(trials(finished), trials(out), "the last round is replayed from the log, nothing trained again");
    }

    @Test
    void aCheckpointWithNothingToFallBackToIsRefusedAndRepairReplaysTheLog(@TempDir Path dir) throws Exception {
        Path out = copy(dir, "nothing");
        cutShort(out.resolve("checkpoint.json"));
        Files.delete(out.resolve("checkpoint.prev.json"));
        assertRefused(run("search", "--resume", out.toString()), out.resolve("checkpoint.json") + ": cut short",
                "there is no checkpoint.prev.json to fall back to", "--repair");

        Path both = copy(dir, "both");
        cutShort(both.resolve("checkpoint.json"));
        Files.writeString(both.resolve("checkpoint.prev.json"), "{}");
        assertRefused(run("search", "--resume", both.toString()), "checkpoint.json: cut short",
                "checkpoint.prev.json is damaged too (no trial count (nextTrialId))", "--repair");

        Run repaired = run("search", "--resume", both.toString(), "--repair");
        assertEquals(0, repaired.exit(), repaired.err());
        assertTrue(repaired.err().contains("replays from its start"), repaired.err());
        assertTrue(Files.exists(both.resolve("checkpoint.json.damaged")));
        assertEquals(trials(finished), trials(both), "replayed from the log, nothing trained again");
    }

    @Test
    void aDamagedLineInTheMiddleOfTheLogIsNamedAndRepairKeepsEveryGoodRecord(@TempDir Path dir) throws Exception {
        Path out = copy(dir, "middle");
        Path log = out.resolve("trials.jsonl");
        byte[] original = Files.readAllBytes(log);
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.set(1, lines.get(1).replaceFirst("\"reward\":0\\.(\\d)", "\"reward\":0.9")); // a changed reward
        lines.set(3, "{\"id\":3,\"step\":1,\"strat"); // a line overwritten with a shorter one
        Files.write(log, lines);
        byte[] damaged = Files.readAllBytes(log);
        assertRefused(run("search", "--resume", out.toString()), log + " line 2 is damaged: checksum mismatch",
                "(damaged lines: 2, 4)", "The other " + (lines.size() - 2) + " records are intact", "--repair",
                "keeps the original file beside it as trials.jsonl.orig");
        assertArrayEquals(damaged, Files.readAllBytes(log), "nothing changed without --repair");

        Run repaired = run("search", "--resume", out.toString(), "--repair");
        assertEquals(0, repaired.exit(), repaired.err());
        assertTrue(repaired.err().contains("dropped damaged line(s) 2, 4"), repaired.err());
        assertArrayEquals(damaged, Files.readAllBytes(out.resolve("trials.jsonl.orig")), "the original is kept");
        List<Trial> after = trials(out);
        List<Trial> before = trials(finished);
        for (int i : List.of(0, 2, 4, 5)) assertTrue(after.contains(before.get(i)), "good record " + i + " kept");
        assertEquals(6, after.stream().filter(t -> t.rung() == 0 && t.trained()).count(), "two children trained in place of the lost ones");
        Set<Integer> ids = new HashSet<>();
        for (Trial t : after) assertTrue(ids.add(t.id()), "id " + t.id() + " twice");
    }

    @Test
    void damagedSettingsAreNamedWithWhatIsWrong(@TempDir Path dir) throws Exception {
        // Every record component is a saved setting; counting them keeps the message check true as settings are added.
        int settings = SearchSettings.class.getRecordComponents().length;
        String[][] cases = {
                {"{}", "settings.json is damaged: it lacks " + settings + " of the " + settings + " settings (space, strategy, dataset, dataDir, validation, budget, ...)"},
                {"{\"space\": \"macro-cnn\", \"strat", "settings.json is damaged: it is cut short (the JSON ends part way at line 1"},
                {"{\"space\": macro-cnn}", "settings.json is damaged: it is not JSON at line 1, column 11 (Unrecognized token 'macro'"},
                {"", "settings.json is damaged: it is empty"},
                {"[1, 2]", "settings.json is damaged: it is not a JSON object"},
        };
        for (String[] c : cases) {
            Path out = copy(dir, "settings" + Math.abs(c[0].hashCode()));
            Files.writeString(out.resolve("settings.json"), c[0]);
            assertRefused(run("search", "--resume", out.toString()), c[1], "restore it from a copy, or start a new search with --out");
        }
        Path out = copy(dir, "range");
        Path file = out.resolve("settings.json");
        Files.writeString(file, Files.readString(file).replaceFirst("\"budget\" : 6", "\"budget\" : 0"));
        assertRefused(run("search", "--resume", out.toString()), "a saved setting is out of range: --budget (0) must be >= 1");
        Files.delete(file);
        assertRefused(run("search", "--resume", out.toString()), file + ": no such file");
        assertRefused(run("search", "--resume", dir.resolve("nowhere").toString()), "no such folder");
    }

    @Test
    void aFolderInUseIsRefusedAtOnce(@TempDir Path dir) throws Exception {
        Path out = copy(dir, "busy");
        try (FolderLock held = FolderLock.acquire(out)) {
            String inUse = out + " is in use by another search (pid " + ProcessHandle.current().pid() + ")";
            assertRefused(run("search", "--resume", out.toString()), inUse);
            assertRefused(run("search", "--dataset", "synthetic", "--out", out.toString()), inUse);
        }
        assertRefused(run("search", "--dataset", "synthetic", "--out", out.toString()), "already holds a search", "--resume");
        assertRefused(run("search", "--dataset", "synthetic", "--repair", "--out", out.toString()), "--repair", "--resume DIR");
    }

    @Test
    void aLogWithoutChecksumsFromAnEarlierVersionStillResumes(@TempDir Path dir) throws Exception {
        Path out = copy(dir, "old");
        Path log = out.resolve("trials.jsonl");
        List<String> lines = Files.readAllLines(log).stream().map(l -> l.replaceFirst(",\"crc32c\":\"[0-9a-f]{8}\"}$", "}")).toList();
        assertFalse(lines.getFirst().contains("crc32c"));
        Files.write(log, lines);
        Run r = run("search", "--resume", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(trials(finished), trials(out));
    }
}
