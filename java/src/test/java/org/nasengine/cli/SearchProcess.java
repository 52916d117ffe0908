package org.nasengine.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nasengine.backend.cpu.NativeBackend;

/**
 * The command line in a child JVM of its own (the test classpath, {@link Main}), for what only a
 * real process shows: signals, SIGKILL, OS file locks held by another process, resource limits.
 * Its standard output and error are read through a pipe (a file would fall under the file-size
 * limit of {@link #limitFileSize} too), and kept in {@code log} when it ends. Every wait is bounded.
 */
final class SearchProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private SearchProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.reader = Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[8192];
            try (var in = process.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) output.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            } catch (IOException ignored) {
                // the process is gone
            }
        });
    }

    /** Arguments of a search on the synthetic data whose children train in a fraction of a second each. */
    static List<String> smallSearch(Path out, int budget) {
        return new ArrayList<>(List.of("search", "--strategy", "reinforce", "--dataset", "synthetic", "--validation", "100", "--budget", String.valueOf(budget),
                "--children-per-update", "3", "--train-subset", "300", "--layers", "2", "--max-layers", "2", "--batch", "32",
                "--promote", "0", "--final-epochs", "0", "--threads", "1", "--device", NativeBackend.isAvailable() ? "cpu" : "java",
                "--out", out.toString()));
    }

    static SearchProcess start(Path log, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx1g", // starts sooner; the children's work is native
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath(), Main.class.getName()));
        command.addAll(args);
        return new SearchProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), log);
    }

    /**
     * Limits the size of any file the process writes from now on (prlimit RLIMIT_FSIZE): a write past
     * it fails with EFBIG, as one on a full disk fails with ENOSPC. Set once the process has started,
     * so its own start (the native library copied out of the classpath) is not affected.
     */
    void limitFileSize(long bytes) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("prlimit", "--pid", String.valueOf(process.pid()), "--fsize=" + bytes + ":" + bytes)
                .redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IOException("prlimit failed: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** The test's classpath, as the JVM running it sees it (surefire puts the real one in java.class.path). */
    static String classpath() {
        String cp = System.getProperty("java.class.path");
        for (String entry : cp.split(File.pathSeparator))
            if (entry.endsWith("classes") && Files.isDirectory(Path.of(entry))) return cp;
        throw new IllegalStateException("no classes folder on java.class.path: " + cp);
    }

    long pid() { return process.pid(); }

    boolean alive() { return process.isAlive(); }

    String output() {
        return output.toString();
    }

    /** Waits until the output contains {@code text} (true) or the process ends or the time is up (false). */
    boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) return true;
            if (!process.isAlive()) return output().contains(text);
            Thread.sleep(20);
        }
        return false;
    }

    /** Sends a signal by name (TERM, INT, KILL) with kill(1). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0)
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }

    /** The exit code; a process still running after {@code timeout} is killed and that is an error. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("still running after " + timeout + ":\n" + output());
        }
        reader.join(Duration.ofSeconds(10)); // the last of its output
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        reader.join(Duration.ofSeconds(10));
        try {
            Files.writeString(log, output(), StandardCharsets.ISO_8859_1);
        } catch (IOException ignored) {
            // only kept to read after a failure
        }
    }
}
