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
import picocli.CommandLine;

/** Running the commands in-process, their output and exit code captured: every CLI test runs them through here. */
final class Cli {
    record Run(int exit, String out, String err) {}

    private Cli() {}

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

    /** A small macro CNN with a strided layer and a join of two sizes. */
    static Path smallArch(Path dir) throws Exception {
        Path arch = dir.resolve("a.json");
        Files.writeString(arch, """
                {"space": "macro-cnn", "layers": [
                  {"kh": 3, "kw": 3, "filters": 8, "stride": 1, "inputs": []},
                  {"kh": 3, "kw": 1, "filters": 8, "stride": 2, "inputs": [0]},
                  {"kh": 1, "kw": 3, "filters": 8, "stride": 1, "inputs": [0, 1]}]}""");
        return arch;
    }
}
