package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.search.TrialLog;

/**
 * A search killed with SIGKILL at random moments and resumed each time ends as if it had never
 * been killed: exactly its budget of distinct children, every record kept, no id or architecture
 * twice, a best.json that describe accepts. About 30 s on two idle cores; {@code -Dchaos.kills=N}
 * kills more often (bench/RESULTS.md).
 */
class SearchChaosTest {
    static final int KILLS = Integer.getInteger("chaos.kills", 10), BUDGET = Math.max(18, 2 * KILLS);

    @Test
    void searchKilledTenTimesEndsWithItsBudgetAndLosesNothing(@TempDir Path dir) throws Exception {
        long start = System.nanoTime(), seed = start;
        Random random = new Random(seed);
        Path out = dir.resolve("run");
        long deadline = System.nanoTime() + Duration.ofSeconds(60 + 12L * KILLS).toNanos(); // bounds the whole test, whatever happens
        int killed = 0, finishedEarly = 0, torn = 0, beforeFirstRecord = 0;
        List<Trial> before = List.of();
        for (int attempt = 0; killed < KILLS && attempt < 3 * KILLS; attempt++) {
            assertTrue(System.nanoTime() < deadline, "out of time after " + killed + " kills");
            List<String> args = attempt == 0 ? SearchProcess.smallSearch(out, BUDGET) : List.of("search", "--resume", out.toString());
            try (SearchProcess p = SearchProcess.start(dir.resolve("log-" + attempt), args)) {
                // a random moment once the search has started (the children train from then on)
                assertTrue(p.awaitOutput("children train on", Duration.ofSeconds(60)), p.output());
                Thread.sleep(random.nextInt(1000));
                if (p.alive()) {
                    p.signal("KILL");
                    assertEquals(137, p.waitFor(Duration.ofSeconds(30)), "killed by SIGKILL");
                    killed++;
                } else {
                    assertEquals(0, p.waitFor(Duration.ofSeconds(1)), p.output());
                    finishedEarly++;
                }
            }
            TrialLog.Scan scan = TrialLog.scan(out.resolve("trials.jsonl"));
            if (scan.tornTail()) torn++;
            if (scan.trials().isEmpty()) beforeFirstRecord++;
            List<Trial> now = TrialLog.read(out.resolve("trials.jsonl")); // a torn last line is left out here
            assertTrue(now.size() >= before.size() && now.subList(0, before.size()).equals(before),
                    "every record of the previous run is still there, unchanged (seed " + seed + ")");
            before = now;
        }
        assertEquals(KILLS, killed, "kills (the search finished early " + finishedEarly + " times; seed " + seed + ")");

        try (SearchProcess last = SearchProcess.start(dir.resolve("log-last"), List.of("search", "--resume", out.toString()))) {
            assertEquals(0, last.waitFor(Duration.ofSeconds(90)), last.output());
        }
        List<Trial> trials = TrialLog.read(out.resolve("trials.jsonl"));
        assertTrue(trials.subList(0, before.size()).equals(before), "nothing lost by the last run");
        List<Trial> searched = trials.stream().filter(t -> t.rung() == 0).toList();
        assertEquals(BUDGET, searched.stream().filter(Trial::trained).count(), "exactly the budget of distinct children");
        Set<Integer> ids = new HashSet<>();
        for (Trial t : trials) assertTrue(ids.add(t.id()), "trial id " + t.id() + " twice (seed " + seed + ")");
        for (int i = 0; i < searched.size(); i++) assertEquals(i, searched.get(i).id(), "ids in order, none missing");
        Set<String> archs = new HashSet<>();
        for (Trial t : searched) if (t.trained()) assertTrue(archs.add(t.arch().key()), "architecture trained twice: " + t.arch().key());
        int describe = Main.commandLine().execute("describe", "--arch", out.resolve("best.json").toString());
        assertEquals(0, describe, "describe accepts best.json");
        assertTrue(Files.exists(out.resolve("checkpoint.prev.json")));
        System.out.printf("chaos: %d SIGKILLs (%d during a record's write, %d before the first record), %d runs that finished"
                + " before their kill, budget %d, %d records, %.0f s (seed %d)%n", killed, torn, beforeFirstRecord, finishedEarly, BUDGET,
                trials.size(), (System.nanoTime() - start) / 1e9, seed);
    }
}
