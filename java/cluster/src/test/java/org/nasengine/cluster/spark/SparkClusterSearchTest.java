package org.nasengine.cluster.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.search.TrialLog;

/**
 * search --cluster on real Spark: a standalone master and two workers on 127.0.0.1 as child
 * processes (LocalCluster), the driver in a JVM of its own; a worker, then the driver, killed with
 * SIGKILL while the search runs. Every wait is bounded; all traffic stays on loopback.
 */
class SparkClusterSearchTest {
    private static final int BUDGET = 8;

    @TempDir Path dir;

    @Test
    @Timeout(110)
    void aSearchOutlivesAWorkerKilledInTheMiddle() throws Exception {
        Path out = dir.resolve("out"), trials = out.resolve("trials.jsonl");
        try (LocalCluster cluster = LocalCluster.start(2, 1, "768m", dir.resolve("cluster"), Duration.ofSeconds(40));
             DriverProcess driver = DriverProcess.start(dir.resolve("driver.log"), DriverProcess.smallSearch(out, BUDGET, cluster.url()))) {
            awaitFile(driver, trials, 60); // the first trial: the executors are up
            // the worker whose executor trains a child now: the child dies with it
            ExecutorLogs.Running lost = ExecutorLogs.awaitRunning(cluster, 2, 20);
            assertTrue(lost != null, "no executor took a child within 20 s of the first trial:\n" + driver.output());
            cluster.killWorker(lost.worker());
            int exit = driver.waitFor(75);
            String log = driver.output();
            assertEquals(0, exit, "the search did not finish after a worker was killed:\n" + log);
            assertTrue(log.contains("Lost executor"), "the driver never saw the killed worker's executor go:\n" + log);
            assertTrue(ExecutorLogs.retriedAndFinished(cluster, 1 - lost.worker(), lost.stage()),
                    "the child of stage " + lost.stage() + ", lost with worker " + lost.worker() + ", was not trained again on the other");
            assertBudgetRecordedOnce(TrialLog.scan(trials).trials(), log);
        }
    }

    @Test
    @Timeout(110)
    void aDriverKilledInTheMiddleResumesOnTheCluster() throws Exception {
        Path out = dir.resolve("out"), trials = out.resolve("trials.jsonl");
        try (LocalCluster cluster = LocalCluster.start(2, 1, "768m", dir.resolve("cluster"), Duration.ofSeconds(40))) {
            try (DriverProcess first = DriverProcess.start(dir.resolve("first.log"), DriverProcess.smallSearch(out, BUDGET, cluster.url()))) {
                awaitFile(first, out.resolve("checkpoint.json"), 60); // a round done, the next one's children in flight
                first.kill();
            }
            int recorded = TrialLog.scan(trials).trials().size();
            assertTrue(recorded < BUDGET, "the search ended before its driver was killed (" + recorded + " trials)");
            List<String> resume = List.of("search", "--resume", out.toString(), "--cluster", cluster.url());
            try (DriverProcess second = DriverProcess.start(dir.resolve("second.log"), resume)) {
                int exit = second.waitFor(75);
                String log = second.output();
                assertEquals(0, exit, "the resumed search did not finish:\n" + log);
                assertBudgetRecordedOnce(TrialLog.scan(trials).trials(), log);
            }
        }
    }

    @Test
    @Timeout(60)
    void localModeTrainsTheChildrenInTheDriversJvm() throws Exception {
        Path out = dir.resolve("out");
        try (DriverProcess driver = DriverProcess.start(dir.resolve("driver.log"), DriverProcess.smallSearch(out, 4, "local[2]"))) {
            int exit = driver.waitFor(50);
            String log = driver.output();
            assertEquals(0, exit, log);
            assertTrue(log.contains("children train on Spark 4.2.0 at local[2], 2 at once"), log);
            assertEquals(4, TrialLog.scan(out.resolve("trials.jsonl")).trials().stream().filter(Trial::trained).count(), log);
        }
    }

    @Test
    @Timeout(60)
    void anUnreachableMasterIsExit2WithinItsTimeout() throws Exception {
        Path out = dir.resolve("out");
        List<String> args = DriverProcess.smallSearch(out, 4, "spark://127.0.0.1:" + closedPort());
        args.addAll(List.of("--cluster-timeout", "8"));
        long start = System.nanoTime();
        try (DriverProcess driver = DriverProcess.start(dir.resolve("driver.log"), args)) {
            int exit = driver.waitFor(45);
            String log = driver.output();
            assertEquals(2, exit, log);
            assertTrue(log.contains("the master did not register this search within 8 s: is a Spark master running at spark://127.0.0.1:"), log);
            assertTrue(System.nanoTime() - start < 40e9, "took " + (System.nanoTime() - start) / 1e9 + " s");
            assertTrue(!Files.exists(out.resolve("settings.json")), "a refused search must not start its folder");
        }
    }

    /** Returns once {@code file} exists and is not empty (the first trial, the first checkpoint), bounded in time. */
    private static void awaitFile(DriverProcess driver, Path file, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!driver.alive()) throw new AssertionError("the driver ended before it wrote " + file.getFileName() + ":\n" + driver.output());
            if (Files.exists(file) && Files.size(file) > 0) return;
            Thread.sleep(100);
        }
        throw new AssertionError("no " + file.getFileName() + " within " + seconds + " s:\n" + driver.output());
    }

    private static void assertBudgetRecordedOnce(List<Trial> trials, String log) {
        Set<Integer> ids = new HashSet<>();
        for (Trial t : trials) assertTrue(ids.add(t.id()), "trial " + t.id() + " recorded twice:\n" + log);
        assertEquals(BUDGET, trials.stream().filter(Trial::trained).count(), "trained children:\n" + log);
        // the child the killed worker was training is trained again elsewhere, not recorded as failed
        for (Trial t : trials) assertTrue(t.ok() || !t.trained(), "trial " + t.id() + " ended " + t.status() + ": " + t.error());
    }

    /** A loopback port with nothing listening (it was free a moment ago). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
