package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.SharedFiles;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.search.TrialLog;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.MacroCnn;

/** The commands end to end, on small synthetic data so they run in seconds. */
class CliTest {
    @Test
    void brokenArchitectureIsExitCodeTwoNamingTheField(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, """
                {"space": "macro-cnn", "layers": [
                  {"kh": 3, "kw": 3, "filters": 8, "stride": 1, "inputs": []},
                  {"kh": 3, "kw": 3, "filters": 8, "stride": 1, "inputs": [4]}]}""");
        Cli.Run r = Cli.run("train", "--arch", bad.toString(), "--dataset", "synthetic");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("layers[1].inputs: 4"), r.err());
        assertFalse(r.err().contains("at org."), "no stack trace: " + r.err());
        Cli.Run missing = Cli.run("describe", "--arch", dir.resolve("nope.json").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void missingDatasetIsAClearError(@TempDir Path dir) {
        Cli.Run r = Cli.run("train", "--arch", SharedFiles.path("spec/arch/ref-cnn-a.json").toString(), "--dataset", "fashion-mnist",
                "--data-dir", dir.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("train-images-idx3-ubyte"), r.err());
    }

    @Test
    void describeReportsTheSpecParameterCount() throws Exception {
        Path file = SharedFiles.path("spec/arch/ref-cnn-a.json");
        Cli.Run r = Cli.run("describe", "--arch", file.toString());
        assertEquals(0, r.exit(), r.err());
        MacroCnn arch = ArchitectureCodec.parse(Files.readString(file), MacroCnn.class);
        JsonNode json = Cli.lastJsonLine(r.out());
        assertEquals(arch.params(1, 10), json.get("params").asLong());
        assertTrue(json.get("flops_per_example").asDouble() > 2.5e8);
        assertTrue(r.out().contains("conv5x5/1 <- [0, 1]"), r.out());
    }

    @Test
    void describePrintsTheNb201Table(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("resnet.json");
        Files.writeString(file, """
                {"space": "nb201",
                 "cell": "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|",
                 "channels": 16, "cells_per_stage": 5}""");
        Cli.Run r = Cli.run("describe", "--arch", file.toString(), "--dataset", "cifar10");
        assertEquals(0, r.exit(), r.err());
        // stem 3x3 3->16 + BN; 15 cells of two 3x3 conv-BN; two residual reductions; BN; fc 64->10
        long stem = 9 * 3 * 16 + 32, cells = 5 * (2 * (9 * 16 * 16 + 32) + 2 * (9 * 32 * 32 + 64) + 2 * (9 * 64 * 64 + 128));
        long reductions = (9 * 16 * 32 + 64 + 9 * 32 * 32 + 64 + 16 * 32) + (9 * 32 * 64 + 128 + 9 * 64 * 64 + 128 + 32 * 64);
        JsonNode json = Cli.lastJsonLine(r.out());
        assertEquals(stem + cells + reductions + 128 + 650, json.get("params").asLong(), r.out());
        assertTrue(json.get("flops_per_example").asDouble() > 1e8, r.out());
        assertTrue(r.out().contains("cell 14 (stage 2): nb201 cell 64: skip x2, 3x3 x2"), r.out());
        assertTrue(r.out().contains("reduction 1: resblock/2 32->64"), r.out());
        assertTrue(r.out().contains("[64, 8, 8]"), r.out());
    }

    @Test
    void trainPrintsItsFiguresAsOneJsonLine(@TempDir Path dir) throws Exception {
        Path arch = Cli.smallArch(dir);
        Cli.Run r = Cli.run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--epochs", "2", "--batch", "32",
                "--validation", "500", "--device", "java");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = Cli.lastJsonLine(r.out());
        assertEquals("ok", json.get("status").asText());
        assertEquals(2, json.get("epochs").asInt());
        assertTrue(json.get("val_accuracy").asDouble() > 0.3, "synthetic data is learnable: " + json);
        assertTrue(json.get("train_images_per_sec").asDouble() > 0);
        assertEquals("macro-cnn", json.get("arch").get("space").asText());
    }

    @Test
    void searchWritesTrialsBestAndReportAndResumes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        String[] args = {"search", "--strategy", "reinforce", "--dataset", "synthetic", "--validation", "300", "--budget", "4", "--children-per-update", "2",
                "--train-subset", "600", "--layers", "2", "--max-layers", "3", "--grow-every", "2", "--final-epochs", "1",
                "--batch", "32", "--max-mflops", "0.3", "--promote", "2", "--promote-subset", "900", "--out", out.toString()};
        Cli.Run r = Cli.run(args);
        assertEquals(0, r.exit(), r.err());
        List<Trial> trials = TrialLog.read(out.resolve("trials.jsonl"));
        assertEquals(4, trials.stream().filter(t -> t.rung() == 0 && t.trained()).count(), "the budget counts distinct children");
        assertEquals(2, trials.stream().filter(t -> t.rung() == 1).count(), "the best two are promoted");
        for (Trial t : trials) {
            assertNotEquals("over_budget", t.status(), "no sampled child is thrown away for its cost");
            assertTrue(t.flops() <= 0.3e6, () -> "sampled within the cost budget: " + t);
        }
        Architecture best = ArchitectureCodec.parse(Files.readString(out.resolve("best.json"))); // a valid file train --arch accepts
        Trial bestPromoted = trials.stream().filter(t -> t.rung() == 1).max(java.util.Comparator.comparingDouble(Trial::reward)).orElseThrow();
        assertEquals(bestPromoted.arch(), best, "the best of the higher fidelity is retrained");
        assertTrue(Files.size(out.resolve("report.png")) > 1000);
        JsonNode front = Json.MAPPER.readTree(Files.readString(out.resolve("pareto.json"))).get("front");
        assertTrue(front.size() >= 1, front.toString());
        for (int i = 1; i < front.size(); i++) {
            assertTrue(front.get(i).get("mflops").asDouble() >= front.get(i - 1).get("mflops").asDouble(), "cheapest first");
            assertTrue(front.get(i).get("val_accuracy").asDouble() > front.get(i - 1).get("val_accuracy").asDouble(), "each dearer one is better");
        }
        assertTrue(r.out().contains("MFLOPs"), "the top-k table shows the cost: " + r.out());
        JsonNode fin = Json.MAPPER.readTree(Files.readString(out.resolve("final.json")));
        assertTrue(fin.get("val_accuracy").asDouble() > 0.2, fin.toString());
        assertEquals("final.safetensors", fin.get("weights").asText(), "the final network is kept beside best.json");
        assertTrue(Files.size(out.resolve("final.safetensors")) > 100);

        Cli.Run again = Cli.run(args);
        assertEquals(2, again.exit(), "a second search into the same directory must refuse");
        assertTrue(again.err().contains("--resume"), again.err());

        Cli.Run contradicting = Cli.run("search", "--resume", out.toString(), "--max-mflops", "10");
        assertEquals(2, contradicting.exit());
        assertTrue(contradicting.err().contains("--max-mflops would change them"), contradicting.err());

        int before = TrialLog.read(out.resolve("trials.jsonl")).size();
        Cli.Run resumed = Cli.run("search", "--resume", out.toString(), "--device", "java");
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(before, TrialLog.read(out.resolve("trials.jsonl")).size(), "a finished search resumes to no new trial");
    }

    @Test
    void badSearchOptionsAreRefusedBeforeAnythingStarts(@TempDir Path dir) {
        String out = dir.resolve("o").toString();
        String[][] cases = {
                {"--max-mflops", "-1", "--max-mflops (-1.0) must be >= 0"},
                {"--max-params", "-5", "--max-params (-5) must be >= 0"},
                {"--objective", "speed", "--objective 'speed' is not one of accuracy, mnasnet"},
                {"--objective", "mnasnet", "--cost-target", "0", "--cost-target (0.0) must be > 0 MFLOPs"},
                {"--objective", "mnasnet", "--cost-weight", "0.5", "--cost-weight (0.5) must be a number <= 0"},
                {"--cost-weight", "heavy", "'heavy' is not a double"},
                {"--preset", "fast", "--preset 'fast' is not one of paper"},
                {"--strategy", "annealing", "--strategy 'annealing' is not one of"},
                {"--space", "vit", "--space 'vit' is not one of"},
                {"--max-mflops", "0.0001", "admits no macro-cnn architecture"},
        };
        for (String[] c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("search", "--dataset", "synthetic", "--out", out));
            args.addAll(List.of(c).subList(0, c.length - 1));
            Cli.Run r = Cli.run(args.toArray(String[]::new));
            assertEquals(2, r.exit(), () -> String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains(c[c.length - 1]), () -> "expected '" + c[c.length - 1] + "' in: " + r.err());
            assertFalse(r.err().contains("at org."), "no stack trace: " + r.err());
            assertFalse(r.err().contains("search ") && r.err().contains("%"), "no progress bar before the error: " + r.err());
        }
    }
}
