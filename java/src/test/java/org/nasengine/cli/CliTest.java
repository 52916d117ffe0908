package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.SharedFiles;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.search.TrialLog;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.MacroCnn;
import picocli.CommandLine;

/** The commands end to end, on small synthetic data so they run in seconds. */
class CliTest {
    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
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

    static JsonNode lastJsonLine(String out) throws Exception {
        List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
        assertFalse(lines.isEmpty(), "no JSON line in: " + out);
        return Json.MAPPER.readTree(lines.getLast());
    }

    @Test
    void brokenArchitectureIsExitCodeTwoNamingTheField(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, """
                {"space": "macro-cnn", "layers": [
                  {"kh": 3, "kw": 3, "filters": 8, "stride": 1, "inputs": []},
                  {"kh": 3, "kw": 3, "filters": 8, "stride": 1, "inputs": [4]}]}""");
        Run r = run("train", "--arch", bad.toString(), "--dataset", "synthetic");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("layers[1].inputs: 4"), r.err());
        assertFalse(r.err().contains("at org."), "no stack trace: " + r.err());
        Run missing = run("describe", "--arch", dir.resolve("nope.json").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void missingDatasetIsAClearError(@TempDir Path dir) {
        Run r = run("train", "--arch", SharedFiles.path("spec/arch/ref-cnn-a.json").toString(), "--dataset", "fashion-mnist",
                "--data-dir", dir.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("train-images-idx3-ubyte"), r.err());
    }

    @Test
    void describeReportsTheSpecParameterCount() throws Exception {
        Path file = SharedFiles.path("spec/arch/ref-cnn-a.json");
        Run r = run("describe", "--arch", file.toString());
        assertEquals(0, r.exit(), r.err());
        MacroCnn arch = ArchitectureCodec.parse(Files.readString(file), MacroCnn.class);
        JsonNode json = lastJsonLine(r.out());
        assertEquals(arch.params(1, 10), json.get("params").asLong());
        assertTrue(json.get("flops_per_example").asDouble() > 2.5e8);
        assertTrue(r.out().contains("conv5x5/1 <- [0, 1]"), r.out());
    }

    @Test
    void trainPrintsItsFiguresAsOneJsonLine(@TempDir Path dir) throws Exception {
        Path arch = dir.resolve("a.json");
        Files.writeString(arch, """
                {"space": "macro-cnn", "layers": [
                  {"kh": 3, "kw": 3, "filters": 8, "stride": 1, "inputs": []},
                  {"kh": 3, "kw": 1, "filters": 8, "stride": 2, "inputs": [0]},
                  {"kh": 1, "kw": 3, "filters": 8, "stride": 1, "inputs": [0, 1]}]}""");
        Run r = run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--epochs", "2", "--batch", "32",
                "--validation", "500", "--device", "java");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = lastJsonLine(r.out());
        assertEquals("ok", json.get("status").asText());
        assertEquals(2, json.get("epochs").asInt());
        assertTrue(json.get("val_accuracy").asDouble() > 0.3, "synthetic data is learnable: " + json);
        assertTrue(json.get("train_images_per_sec").asDouble() > 0);
        assertEquals("macro-cnn", json.get("arch").get("space").asText());
    }

    @Test
    void searchWritesTrialsBestAndReportAndResumes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        String[] args = {"search", "--dataset", "synthetic", "--validation", "300", "--budget", "4", "--children-per-update", "2",
                "--train-subset", "600", "--layers", "2", "--max-layers", "3", "--grow-every", "2", "--final-epochs", "1",
                "--batch", "32", "--out", out.toString()};
        Run r = run(args);
        assertEquals(0, r.exit(), r.err());
        List<Trial> trials = TrialLog.read(out.resolve("trials.jsonl"));
        assertEquals(4, trials.size());
        ArchitectureCodec.parse(Files.readString(out.resolve("best.json"))); // a valid file train --arch accepts
        assertTrue(Files.size(out.resolve("report.png")) > 1000);
        JsonNode fin = Json.MAPPER.readTree(Files.readString(out.resolve("final.json")));
        assertTrue(fin.get("val_accuracy").asDouble() > 0.2, fin.toString());

        Run again = run(args);
        assertEquals(2, again.exit(), "a second search into the same directory must refuse");
        assertTrue(again.err().contains("--resume"), again.err());

        Run resumed = run("search", "--resume", out.toString(), "--final-epochs", "0");
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(4, TrialLog.read(out.resolve("trials.jsonl")).size(), "a finished search resumes to no new trial");
    }
}
