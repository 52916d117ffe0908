package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.search.TrialLog;
import org.nasengine.nas.space.Nb201;
import org.nasengine.nas.space.Nb201Space;
import org.nasengine.nas.strategy.Sampling;
import org.nasengine.tensor.Rng;

/** search and compare on a benchmark table: a 200-cell CSV with its own column names, written to a temp dir. */
class CompareCliTest {
    /** 200 distinct cells; score_a rewards 3x3 convolutions, held_b is score_a / 2 + 50 (a held-out figure on another scale). */
    static Path table(Path dir) throws Exception {
        Nb201Space space = Nb201Space.benchmark();
        Rng rng = new Rng(11);
        Set<String> cells = new HashSet<>();
        StringBuilder sb = new StringBuilder("k,arch_str,score_a,held_b\n");
        while (cells.size() < 200) {
            int[] t = Sampling.uniform(space, rng);
            String cell = space.decode(t).cellString();
            if (!cells.add(cell)) continue;
            double score = 10;
            for (int e = 0; e < t.length; e++) score += (t[e] == Nb201.Op.NOR_CONV_3X3.ordinal() ? 12 : 0) + e * t[e] * 0.1;
            sb.append(cells.size()).append(',').append(cell).append(',').append(score).append(',').append(score / 2 + 50).append('\n');
        }
        Path f = dir.resolve("bench.csv");
        Files.writeString(f, sb);
        return f;
    }

    @Test
    void comparePrintsTheTableAndOneJsonLine(@TempDir Path dir) throws Exception {
        Path csv = table(dir), png = dir.resolve("c.png");
        Cli.Run r = Cli.run("compare", "--space", "nb201", "--evaluator", "table", "--table", csv.toString(), "--table-metric", "score_a",
                "--table-report", "held_b", "--strategies", "random,reinforce,evolution,smbo,bo", "--budget", "20", "--seeds", "3",
                "--candidates", "30", "--plot", png.toString());
        assertEquals(0, r.exit(), r.err());
        for (String name : List.of("random", "reinforce", "evolution", "smbo", "bo"))
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| " + name + " | 3 | ")), name + " row in:\n" + r.out());
        assertTrue(r.out().contains("| strategy | runs | mean held_b | std | 95% CI of the mean | 2.5-97.5% of runs | mean queries to best |"),
                r.out());
        List<String> lines = r.out().lines().toList();
        JsonNode json = Json.MAPPER.readTree(lines.getLast());
        assertEquals(20, json.get("budget").asInt());
        assertEquals(3, json.get("seeds").asInt());
        JsonNode random = json.get("strategies").get("random"), bo = json.get("strategies").get("bo");
        assertEquals(3, random.get("runs").size());
        double mean = 0;
        for (JsonNode v : random.get("runs")) mean += v.asDouble() / 3;
        assertEquals(mean, random.get("mean").asDouble(), 1e-9);
        assertTrue(random.get("std").asDouble() >= 0);
        assertTrue(bo.get("mean").asDouble() >= random.get("mean").asDouble(), json.toString());
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void searchOnATableWritesBestAndTheReportValue(@TempDir Path dir) throws Exception {
        Path csv = table(dir), out = dir.resolve("run");
        Cli.Run r = Cli.run("search", "--space", "nb201", "--strategy", "evolution", "--evaluator", "table", "--table", csv.toString(),
                "--table-metric", "score_a", "--table-report", "held_b", "--budget", "30", "--population", "8", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        List<Trial> trials = TrialLog.read(out.resolve("trials.jsonl"));
        assertEquals(30, trials.stream().filter(Trial::trained).count());
        for (Trial t : trials) assertEquals(t.reward() / 2 + 50, t.report(), 1e-9, "the report column is recorded with each trial");
        assertTrue(Files.exists(out.resolve("best.json")));
        JsonNode fin = Json.MAPPER.readTree(Files.readString(out.resolve("final.json")));
        double best = trials.stream().mapToDouble(Trial::reward).max().orElseThrow();
        assertEquals(best, fin.get("table_metric").asDouble(), 1e-9);
        assertEquals(best / 2 + 50, fin.get("table_report").asDouble(), 1e-9);
    }

    @Test
    void badInputIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Path csv = table(dir);
        String[] table = {"--evaluator", "table", "--table", csv.toString(), "--table-metric", "score_a", "--table-report", "held_b"};
        expectError(Cli.run("search", "--space", "nb201", "--table", csv.toString()), "need --evaluator table");
        expectError(Cli.run("search", "--strategy", "annealing"), "--strategy 'annealing' is not one of reinforce, random, evolution, smbo, bo");
        expectError(Cli.run("search", "--space", "darts"), "--space 'darts' is not one of");
        expectError(Cli.run(concat(new String[] {"search", "--space", "nb201", "--strategy", "evolution", "--budget", "5"}, table)),
                "--budget (5) is smaller than evolution's initial population (--population 10)");
        expectError(Cli.run(concat(new String[] {"compare", "--seeds", "0"}, table)), "--seeds (0) must be >= 1");
        expectError(Cli.run(concat(new String[] {"compare", "--strategies", "random,annealing"}, table)), "--strategy 'annealing'");
        expectError(Cli.run(concat(new String[] {"compare", "--strategies", "bo", "--budget", "5"}, table)), "bo's initial population");
        expectError(Cli.run(concat(new String[] {"compare", "--time-budget", "60"}, table)), "a table's budget counts queries");
        expectError(Cli.run("compare", "--evaluator", "table", "--table", csv.toString(), "--table-metric", "c10_valid_12ep"),
                "bench.csv line 1: no column 'c10_valid_12ep'");
        expectError(Cli.run("compare", "--space", "macro-cnn", "--evaluator", "table", "--table", csv.toString(), "--table-metric", "score_a"),
                "use --space nb201");
    }

    private static void expectError(Cli.Run r, String text) {
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(text), "expected '" + text + "' in: " + r.err());
        assertFalse(r.err().contains("\tat org."), "no stack trace: " + r.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
