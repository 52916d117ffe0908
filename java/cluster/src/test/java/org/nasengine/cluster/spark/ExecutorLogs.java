package org.nasengine.cluster.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the executors of a {@link LocalCluster} are doing, read from their logs (stderr in each
 * worker's work folder), where executor-log4j2.properties turns on a "Running task I.A in stage S
 * (TID n)" line per task and a "Finished task I.A in stage S (TID n)" line when it is done; A is the
 * attempt, 0 the first. One child is one stage of one task.
 */
final class ExecutorLogs {
    private static final Pattern RUNNING = Pattern.compile("Running task (\\d+)\\.(\\d+) in stage (\\S+) \\(TID (\\d+)\\)");
    private static final Pattern FINISHED = Pattern.compile("Finished task (\\d+)\\.(\\d+) in stage (\\S+) \\(TID (\\d+)\\)");

    /** A task running on worker {@code worker}'s executor: the child of stage {@code stage}. */
    record Running(int worker, String stage) {}

    private ExecutorLogs() {}

    /** A task running now on some worker's executor, or null when none is within {@code seconds}. */
    static Running awaitRunning(LocalCluster cluster, int workers, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < workers; i++) {
                List<String> stages = running(cluster.workDir(i));
                if (!stages.isEmpty()) return new Running(i, stages.getFirst());
            }
            Thread.sleep(50);
        }
        return null;
    }

    /** Whether a later attempt (A >= 1) of stage {@code stage}'s task finished on worker {@code worker}'s executor. */
    static boolean retriedAndFinished(LocalCluster cluster, int worker, String stage) throws IOException {
        for (String line : lines(cluster.workDir(worker))) {
            Matcher m = FINISHED.matcher(line);
            if (m.find() && !m.group(2).equals("0") && m.group(3).equals(stage)) return true;
        }
        return false;
    }

    /** The stages whose task started and has not finished on this worker's executors. */
    private static List<String> running(Path workDir) throws IOException {
        Map<String, String> stageByTid = new LinkedHashMap<>();
        for (String line : lines(workDir)) {
            Matcher run = RUNNING.matcher(line), done = FINISHED.matcher(line);
            if (run.find()) stageByTid.put(run.group(4), run.group(3));
            else if (done.find()) stageByTid.remove(done.group(4));
        }
        return new ArrayList<>(stageByTid.values());
    }

    private static List<String> lines(Path workDir) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(workDir)) return lines;
        try (Stream<Path> files = Files.walk(workDir, 3)) {
            for (Path log : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) lines.addAll(Files.readAllLines(log));
        }
        return lines;
    }
}
