package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.nas.search.FolderStore;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.search.TrialLog;
import picocli.CommandLine;

/**
 * What only real processes show: a second search on a folder in use is refused at once, naming
 * the holder; SIGTERM and SIGINT stop a search at a consistent point with 143 and 130 and say how
 * to continue; a write that fails as on a full disk (prlimit RLIMIT_FSIZE) stops it with a message and leaves
 * it resumable.
 */
class SearchSignalsTest {

    /** Waits (bounded) until the log holds more than {@code count} records. */
    private static boolean awaitRecords(Path out, int count, SearchProcess p, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && p.alive()) {
            if (TrialLog.scan(out.resolve("trials.jsonl")).trials().size() > count) return true;
            Thread.sleep(50);
        }
        return false;
    }

    /** The folder as a stopped search must leave it: every line whole, a checkpoint that reads, nothing beyond the log. */
    private static void assertConsistent(Path out) throws Exception {
        TrialLog.Scan scan = TrialLog.scan(out.resolve("trials.jsonl"));
        assertTrue(scan.damaged().isEmpty(), scan.damaged().toString());
        assertFalse(scan.tornTail(), "no record half written");
        FolderStore store = new FolderStore(out);
        var cp = store.checkpoint();
        if (cp != null) {
            long logged = scan.trials().stream().filter(t -> t.rung() == 0).count();
            assertTrue(cp.get("nextTrialId").asInt() <= logged, "the checkpoint is not ahead of the log");
        }
        assertFalse(Files.exists(out.resolve("checkpoint.json.tmp")), "no half-written checkpoint left");
    }

    @Test
    void aFolderInUseIsRefusedAndSignalsStopAtAConsistentPoint(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        try (SearchProcess first = SearchProcess.start(dir.resolve("first.log"), SearchProcess.smallSearch(out, 60))) {
            assertTrue(awaitRecords(out, 0, first, Duration.ofSeconds(60)), first.output());

            for (List<String> second : List.of(SearchProcess.smallSearch(out, 60), List.of("search", "--resume", out.toString()))) {
                try (SearchProcess p = SearchProcess.start(dir.resolve("second.log"), second)) {
                    assertEquals(2, p.waitFor(Duration.ofSeconds(60)), p.output());
                    assertTrue(p.output().contains(out + " is in use by another search (pid " + first.pid() + ")"), p.output());
                    assertFalse(p.output().contains("\tat "), "no stack trace: " + p.output());
                }
            }
            assertTrue(first.alive(), "the first search is not disturbed");

            first.signal("TERM");
            assertEquals(143, first.waitFor(Duration.ofSeconds(30)), first.output());
            assertTrue(first.output().contains("search stopped: "), first.output());
            assertTrue(first.output().contains("Continue with: search --resume " + out), first.output());
        }
        assertConsistent(out);

        int before = TrialLog.read(out.resolve("trials.jsonl")).size();
        try (SearchProcess resumed = SearchProcess.start(dir.resolve("resumed.log"), List.of("search", "--resume", out.toString()))) {
            assertTrue(awaitRecords(out, before, resumed, Duration.ofSeconds(60)), "the stopped search continues: " + resumed.output());
            resumed.signal("INT"); // what Ctrl-C sends
            int exit = resumed.waitFor(Duration.ofSeconds(30));
            if (exit == 130) assertTrue(resumed.output().contains("Continue with: search --resume " + out), resumed.output());
            else System.out.println("SIGINT: the child JVM ignores it (inherited), exit " + exit + "; only SIGTERM was checked");
        }
        assertConsistent(out);
    }

    @Test
    void aWriteThatFailsStopsTheSearchWithAMessageAndItResumes(@TempDir Path dir) throws Exception {
        // random strategy: a checkpoint of a few hundred bytes, so the log is what outgrows the limit (4 KB: about 11 records)
        Path out = dir.resolve("full");
        List<String> args = SearchProcess.smallSearch(out, 16);
        args.set(args.indexOf("reinforce"), "random");
        try (SearchProcess p = SearchProcess.start(dir.resolve("full.log"), args)) {
            assertTrue(p.awaitOutput("children train on", Duration.ofSeconds(60)), p.output());
            p.limitFileSize(4 * 1024);
            assertEquals(1, p.waitFor(Duration.ofSeconds(90)), p.output());
            String err = p.output();
            assertTrue(err.contains("error: cannot write " + out.resolve("trials.jsonl") + ": File too large"), err);
            assertTrue(err.contains("run search --resume " + out), err);
            assertFalse(err.contains("\tat "), "no stack trace: " + err);
        }
        assertConsistent(out);
        List<Trial> kept = TrialLog.read(out.resolve("trials.jsonl"));
        assertTrue(kept.size() >= 3 && kept.size() < 16, "stopped part way: " + kept.size());

        // reinforce: its first checkpoint (about 1 MB) is what fails
        Path out2 = dir.resolve("full-checkpoint");
        try (SearchProcess p = SearchProcess.start(dir.resolve("full2.log"), SearchProcess.smallSearch(out2, 6))) {
            assertTrue(p.awaitOutput("children train on", Duration.ofSeconds(60)), p.output());
            p.limitFileSize(64 * 1024);
            assertEquals(1, p.waitFor(Duration.ofSeconds(90)), p.output());
            assertTrue(p.output().contains("error: cannot write " + out2.resolve("checkpoint.json") + ": File too large"), p.output());
        }
        assertConsistent(out2);

        for (Path o : List.of(out, out2)) { // room again: both continue to their budget
            StringWriter err = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            assertEquals(0, cl.execute("search", "--resume", o.toString()), err.toString());
            List<Trial> trials = TrialLog.read(o.resolve("trials.jsonl"));
            int budget = o == out ? 16 : 6;
            assertEquals(budget, trials.stream().filter(Trial::trained).count());
            Set<Integer> ids = new HashSet<>();
            for (Trial t : trials) assertTrue(ids.add(t.id()), "id " + t.id() + " twice");
        }
        assertTrue(TrialLog.read(out.resolve("trials.jsonl")).subList(0, kept.size()).equals(kept), "nothing lost");
    }

    /** A weight-sharing search: SIGTERM says how to continue (exit 143); a write that fails (a full disk) is exit 1 with a message. */
    @Test
    void aWeightSharingSearchStopsOnSigtermAndOnAFullDiskWithAMessage(@TempDir Path dir) throws Exception {
        for (String how : List.of("TERM", "full")) {
            Path out = dir.resolve(how);
            List<String> args = new ArrayList<>(List.of("search", "--out", out.toString(), "--space", "nb201", "--strategy", "darts",
                    "--dataset", "synthetic", "--validation", "64", "--train-subset", "64", "--batch", "32", "--supernet-channels", "2",
                    "--search-epochs", "500", "--final-epochs", "0"));
            try (SearchProcess p = SearchProcess.start(dir.resolve(how + ".log"), args)) {
                assertTrue(p.awaitOutput("search: nb201 with darts", Duration.ofSeconds(60)), p.output());
                if (how.equals("TERM")) {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (!Files.exists(out.resolve("checkpoint.json")) && p.alive() && System.nanoTime() < deadline) Thread.sleep(50);
                    p.signal("TERM");
                    assertEquals(143, p.waitFor(Duration.ofSeconds(30)), p.output());
                    assertTrue(p.output().contains("search stopped: the last checkpoint in " + out.resolve("checkpoint.json")), p.output());
                    assertTrue(p.output().contains("continue with: search --resume " + out), p.output());
                    assertTrue(new org.nasengine.nas.oneshot.OneShotStore(out).load() != null, "a checkpoint that reads");
                } else {
                    p.limitFileSize(4 * 1024); // a supernet checkpoint is far larger
                    assertEquals(1, p.waitFor(Duration.ofSeconds(60)), p.output());
                    assertTrue(p.output().contains("error: cannot write in " + out) && p.output().contains("File too large")
                            && p.output().contains("make room, then run search --resume " + out), p.output());
                    assertFalse(p.output().contains("\tat "), "no stack trace: " + p.output());
                    assertFalse(Files.exists(out.resolve("checkpoint.json.tmp")), "no half-written checkpoint left");
                }
            }
        }
    }
}
