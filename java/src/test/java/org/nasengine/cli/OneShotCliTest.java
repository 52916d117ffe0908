package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.backend.cpu.NativeBackend;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nas.space.Nb201;
import picocli.CommandLine;

/** search --strategy enas|darts end to end on small synthetic data, and the options each refuses. */
class OneShotCliTest {
    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), errBytes = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err + errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static final List<String> TINY = List.of("--dataset", "synthetic", "--validation", "64", "--train-subset", "64", "--batch", "32",
            "--search-epochs", "1");

    private static String[] args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("search", "--out", out.toString()));
        a.addAll(TINY);
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void optionsThatMeanNothingToTheStrategyAreRefused(@TempDir Path dir) {
        Run childEpochs = run(args(dir.resolve("a"), "--space", "nb201", "--strategy", "darts", "--child-epochs", "2"));
        assertEquals(2, childEpochs.exit(), childEpochs.err());
        assertTrue(childEpochs.err().contains("--child-epochs has no meaning for --strategy darts"), childEpochs.err());
        Run controller = run(args(dir.resolve("b"), "--space", "nb201", "--strategy", "darts", "--controller-lr", "0.1"));
        assertTrue(controller.exit() == 2 && controller.err().contains("--controller-lr"), controller.err());
        Run dartsMode = run(args(dir.resolve("c"), "--space", "nb201", "--strategy", "enas", "--darts-mode", "gdas"));
        assertTrue(dartsMode.exit() == 2 && dartsMode.err().contains("--darts-mode has no meaning for --strategy enas"), dartsMode.err());
        Run macroDarts = run(args(dir.resolve("d"), "--strategy", "darts"));
        assertTrue(macroDarts.exit() == 2 && macroDarts.err().contains("nb201"), macroDarts.err());
        Run rnn = run(args(dir.resolve("e"), "--space", "rnn-cell", "--strategy", "enas"));
        assertTrue(rnn.exit() == 2 && rnn.err().contains("rnn-cell"), rnn.err());
        Run mode = run(args(dir.resolve("f"), "--space", "nb201", "--strategy", "darts", "--darts-mode", "pc"));
        assertTrue(mode.exit() == 2 && mode.err().contains("plain, gdas, aux-skip"), mode.err());
        Run warmup = run(args(dir.resolve("g"), "--space", "nb201", "--strategy", "darts", "--warmup-epochs", "1"));
        assertTrue(warmup.exit() == 2 && warmup.err().contains("--warmup-epochs (1)"), warmup.err());
        for (String d : List.of("a", "b", "c", "d", "e", "f", "g"))
            assertTrue(!Files.exists(dir.resolve(d)), "a refused search leaves no folder: " + d);
    }

    @Test
    void dartsFindsACellAndResumesOnlyWithItsSettings(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("darts");
        Run r = run(args(out, "--space", "nb201", "--strategy", "darts", "--darts-mode", "gdas", "--supernet-channels", "2",
                "--final-epochs", "0", "--device", "java"));
        assertEquals(0, r.exit(), r.err());
        Architecture best = ArchitectureCodec.parse(Files.readString(out.resolve("best.json")));
        assertTrue(best instanceof Nb201 cell && cell.channels() == 16 && cell.cellsPerStage() == 5, "benchmark network: " + best.key());
        JsonNode fin = Json.MAPPER.readTree(Files.readString(out.resolve("final.json")));
        assertEquals("ok", fin.get("search_status").asText());
        assertTrue(!fin.has("table_report"), "the CIFAR-10 table says nothing about synthetic data: " + fin);
        assertEquals(1, Files.readAllLines(out.resolve("search.jsonl")).size());

        Run changed = run("search", "--resume", out.toString(), "--search-epochs", "3");
        assertTrue(changed.exit() == 2 && changed.err().contains("--search-epochs would change them"), changed.err());
        Run again = run(args(out, "--space", "nb201", "--strategy", "darts"));
        assertTrue(again.exit() == 2 && again.err().contains("already holds a search"), again.err());
        Run resumed = run("search", "--resume", out.toString(), "--device", "java");
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(Files.readString(out.resolve("best.json")), ArchitectureCodec.toJson(best), "a finished search finds the same cell");
    }

    @Test
    void enasOnMacroCnnRetrainsItsBestChild(@TempDir Path dir) throws Exception {
        assumeTrue(NativeBackend.isAvailable(), () -> "native backend unavailable: " + NativeBackend.unavailableReason());
        Path out = dir.resolve("enas");
        Run r = run(args(out, "--strategy", "enas", "--max-layers", "2", "--max-mflops", "1", "--controller-steps", "1",
                "--enas-samples", "3", "--final-epochs", "1", "--device", "cpu"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(ArchitectureCodec.parse(Files.readString(out.resolve("best.json"))) instanceof MacroCnn m && m.size() == 2);
        JsonNode fin = Json.MAPPER.readTree(Files.readString(out.resolve("final.json")));
        assertEquals("ok", fin.get("status").asText(), fin.toString());
        assertTrue(fin.get("test_accuracy").asDouble() > 0, fin.toString());
        assertEquals("enas", fin.get("strategy").asText());
    }
}
