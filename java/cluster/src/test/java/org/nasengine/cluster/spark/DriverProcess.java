package org.nasengine.cluster.spark;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nasengine.cli.Main;

/**
 * The nas-engine command line as a search's driver in a JVM of its own, on the test classpath
 * (Spark and this module's provider included), its output in {@code log}. Every wait is bounded.
 */
final class DriverProcess implements AutoCloseable {
    /** JIT and GC settings that start a short JVM sooner; the children's work is native. */
    static final String QUICK_JVM = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    private final Process process;
    private final Path log;

    private DriverProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Arguments of a search on synthetic data whose children train in a second or two each; rounds
     * of 4 children, so that both executors of a two-worker cluster stay busy in the middle of one.
     */
    static List<String> smallSearch(Path out, int budget, String cluster) {
        return new ArrayList<>(List.of("search", "--strategy", "reinforce", "--cluster", cluster, "--dataset", "synthetic", "--validation", "100",
                "--budget", String.valueOf(budget), "--children-per-update", "4", "--train-subset", "1500", "--layers", "2",
                "--max-layers", "2", "--batch", "32", "--promote", "0", "--final-epochs", "0", "--threads", "1", "--device", "cpu",
                "--out", out.toString()));
    }

    static DriverProcess start(Path log, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx1g", "--enable-native-access=ALL-UNNAMED",
                "-Dspark.executor.memory=512m", "-Dspark.executor.extraJavaOptions=" + QUICK_JVM + " -Dlog4j2.configurationFile=" + executorLogging(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return new DriverProcess(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    }

    /** The executors' log4j2 file: it logs the tasks they run, which {@link BusyWorker} reads. */
    private static String executorLogging() {
        try {
            return Path.of(DriverProcess.class.getResource("/executor-log4j2.properties").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, as when the driver's machine dies; returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** The exit code, or -1 (and the process killed) when it has not ended within {@code seconds}. */
    int waitFor(int seconds) throws InterruptedException {
        if (process.waitFor(seconds, TimeUnit.SECONDS)) return process.exitValue();
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return -1;
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
