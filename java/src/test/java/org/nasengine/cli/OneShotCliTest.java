package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.nasengine.nas.space.NasNet;
import org.nasengine.nas.space.Nb201;

/** search --strategy enas|darts end to end on small synthetic data, and the options each refuses. */
class OneShotCliTest {
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
        Cli.Run childEpochs = Cli.run(args(dir.resolve("a"), "--space", "nb201", "--strategy", "darts", "--child-epochs", "2"));
        assertEquals(2, childEpochs.exit(), childEpochs.err());
        assertTrue(childEpochs.err().contains("--child-epochs has no meaning for --strategy darts"), childEpochs.err());
        Cli.Run controller = Cli.run(args(dir.resolve("b"), "--space", "nb201", "--strategy", "darts", "--controller-lr", "0.1"));
        assertTrue(controller.exit() == 2 && controller.err().contains("--controller-lr"), controller.err());
        Cli.Run dartsMode = Cli.run(args(dir.resolve("c"), "--space", "nb201", "--strategy", "enas", "--darts-mode", "gdas"));
        assertTrue(dartsMode.exit() == 2 && dartsMode.err().contains("--darts-mode has no meaning for --strategy enas"), dartsMode.err());
        Cli.Run macroDarts = Cli.run(args(dir.resolve("d"), "--strategy", "darts"));
        assertTrue(macroDarts.exit() == 2 && macroDarts.err().contains("nb201 or nasnet"), macroDarts.err());
        Cli.Run rnn = Cli.run(args(dir.resolve("e"), "--space", "rnn-cell", "--strategy", "enas"));
        assertTrue(rnn.exit() == 2 && rnn.err().contains("rnn-cell"), rnn.err());
        Cli.Run mode = Cli.run(args(dir.resolve("f"), "--space", "nb201", "--strategy", "darts", "--darts-mode", "pc"));
        assertTrue(mode.exit() == 2 && mode.err().contains("plain, gdas, aux-skip"), mode.err());
        Cli.Run warmup = Cli.run(args(dir.resolve("g"), "--space", "nb201", "--strategy", "darts", "--warmup-epochs", "1"));
        assertTrue(warmup.exit() == 2 && warmup.err().contains("--warmup-epochs (1)"), warmup.err());
        Cli.Run auxSkip = Cli.run(args(dir.resolve("h"), "--space", "nasnet", "--strategy", "darts", "--darts-mode", "aux-skip"));
        assertTrue(auxSkip.exit() == 2 && auxSkip.err().contains("use plain or gdas on --space nasnet"), auxSkip.err());
        Cli.Run blocks = Cli.run(args(dir.resolve("i"), "--space", "nb201", "--strategy", "enas", "--nasnet-blocks", "3"));
        assertTrue(blocks.exit() == 2 && blocks.err().contains("--nasnet-blocks has no meaning"), blocks.err());
        for (String d : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"))
            assertTrue(!Files.exists(dir.resolve(d)), "a refused search leaves no folder: " + d);
    }

    @Test
    void dartsFindsACellAndResumesOnlyWithItsSettings(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("darts");
        Cli.Run r = Cli.run(args(out, "--space", "nb201", "--strategy", "darts", "--darts-mode", "gdas", "--supernet-channels", "2",
                "--final-epochs", "0", "--device", "java"));
        assertEquals(0, r.exit(), r.err());
        Architecture best = ArchitectureCodec.parse(Files.readString(out.resolve("best.json")));
        assertTrue(best instanceof Nb201 cell && cell.channels() == 16 && cell.cellsPerStage() == 5, "benchmark network: " + best.key());
        JsonNode fin = Json.MAPPER.readTree(Files.readString(out.resolve("final.json")));
        assertEquals("ok", fin.get("search_status").asText());
        assertTrue(!fin.has("table_report"), "the CIFAR-10 table says nothing about synthetic data: " + fin);
        assertEquals(1, Files.readAllLines(out.resolve("search.jsonl")).size());

        Cli.Run changed = Cli.run("search", "--resume", out.toString(), "--search-epochs", "3");
        assertTrue(changed.exit() == 2 && changed.err().contains("--search-epochs would change them"), changed.err());
        Cli.Run again = Cli.run(args(out, "--space", "nb201", "--strategy", "darts"));
        assertTrue(again.exit() == 2 && again.err().contains("already holds a search"), again.err());
        Cli.Run resumed = Cli.run("search", "--resume", out.toString(), "--device", "java");
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(Files.readString(out.resolve("best.json")), ArchitectureCodec.toJson(best), "a finished search finds the same cell");
    }

    /** A damaged checkpoint falls back to the one before it and says so; both damaged is a message naming the file, exit 2. */
    @Test
    void aDamagedCheckpointFallsBackToThePreviousOneOrIsNamed(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("darts");
        List<String> a = new ArrayList<>(List.of(args(out, "--space", "nb201", "--strategy", "darts", "--supernet-channels", "2",
                "--final-epochs", "0", "--device", "java")));
        a.set(a.indexOf("--search-epochs") + 1, "2");
        Cli.Run r = Cli.run(a.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        Path current = out.resolve("checkpoint.json"), prev = out.resolve("checkpoint.prev.json");
        assertTrue(Files.exists(prev), "the checkpoint before the last is kept");
        cutShort(current);
        Cli.Run fallback = Cli.run("search", "--resume", out.toString(), "--device", "java");
        assertEquals(0, fallback.exit(), fallback.err());
        assertTrue(fallback.err().contains("note: checkpoint.json is damaged (cut short") && fallback.err().contains(
                "resuming from checkpoint.prev.json"), fallback.err());
        cutShort(current);
        cutShort(prev);
        Cli.Run refused = Cli.run("search", "--resume", out.toString(), "--device", "java");
        assertEquals(2, refused.exit(), refused.err());
        assertTrue(refused.err().contains("error: " + current + ": cut short") && refused.err().contains("is damaged too")
                && refused.err().contains("Start the search again with --out"), refused.err());
        assertTrue(!refused.err().contains("\tat "), "no stack trace: " + refused.err());
    }

    private static void cutShort(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, b.length / 2));
    }

    /** Two-block cells, a supernet of F = 2: seconds on the reference backend. */
    private static final List<String> TINY_NASNET = List.of("--space", "nasnet", "--nasnet-blocks", "2", "--nasnet-filters", "4",
            "--supernet-channels", "2", "--final-epochs", "0", "--device", "java");

    @Test
    void dartsOnNasNetFindsCellsThatDescribeAndTrainAcceptAndResumes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("darts");
        List<String> a = new ArrayList<>(List.of(args(out, "--strategy", "darts")));
        a.addAll(TINY_NASNET);
        Cli.Run r = Cli.run(a.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        Architecture best = ArchitectureCodec.parse(Files.readString(out.resolve("best.json")));
        assertTrue(best instanceof NasNet n && n.normal().size() == 2 && n.filters() == 4 && n.repeats() == 1,
                "the cells in the network they are retrained in: " + best.key());
        assertEquals("ok", Json.MAPPER.readTree(Files.readString(out.resolve("final.json"))).get("search_status").asText());
        Cli.Run resumed = Cli.run("search", "--resume", out.toString(), "--device", "java");
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(ArchitectureCodec.toJson(best), Files.readString(out.resolve("best.json")), "a finished search finds the same cells");

        Cli.Run described = Cli.run("describe", "--arch", out.resolve("best.json").toString(), "--dataset", "synthetic");
        assertEquals(0, described.exit(), described.err());
        Cli.Run trained = Cli.run("train", "--arch", out.resolve("best.json").toString(), "--dataset", "synthetic", "--train-subset", "64",
                "--epochs", "1", "--batch", "32", "--device", "java");
        assertEquals(0, trained.exit(), trained.err());
    }

    @Test
    void enasMicroSearchOnNasNetWritesItsBestCells(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("enas");
        List<String> a = new ArrayList<>(List.of(args(out, "--strategy", "enas", "--controller-steps", "1", "--enas-samples", "3")));
        a.addAll(TINY_NASNET);
        Cli.Run r = Cli.run(a.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        NasNet best = ArchitectureCodec.parse(Files.readString(out.resolve("best.json")), NasNet.class);
        assertEquals(4, best.filters());
        for (NasNet.Block b : best.reduction()) assertEquals(NasNet.Combine.ADD, b.combine(), "the supernet's blocks sum");
        assertEquals("enas", Json.MAPPER.readTree(Files.readString(out.resolve("final.json"))).get("strategy").asText());
        Cli.Run described = Cli.run("describe", "--arch", out.resolve("best.json").toString(), "--dataset", "synthetic");
        assertEquals(0, described.exit(), described.err());
    }

    @Test
    void enasOnMacroCnnRetrainsItsBestChild(@TempDir Path dir) throws Exception {
        assumeTrue(NativeBackend.isAvailable(), () -> "native backend unavailable: " + NativeBackend.unavailableReason());
        Path out = dir.resolve("enas");
        Cli.Run r = Cli.run(args(out, "--strategy", "enas", "--max-layers", "2", "--max-mflops", "1", "--controller-steps", "1",
                "--enas-samples", "3", "--final-epochs", "1", "--device", "cpu"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(ArchitectureCodec.parse(Files.readString(out.resolve("best.json"))) instanceof MacroCnn m && m.size() == 2);
        JsonNode fin = Json.MAPPER.readTree(Files.readString(out.resolve("final.json")));
        assertEquals("ok", fin.get("status").asText(), fin.toString());
        assertTrue(fin.get("test_accuracy").asDouble() > 0, fin.toString());
        assertEquals("enas", fin.get("strategy").asText());
    }
}
