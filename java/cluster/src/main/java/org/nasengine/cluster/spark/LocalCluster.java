package org.nasengine.cluster.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A Spark standalone cluster on this machine, for trying search --cluster and for the tests: a
 * master and N workers, each a child JVM on this classpath, all bound to 127.0.0.1. Their logs
 * (and the executors' work folders) are kept in {@code dir}. Every wait is bounded.
 */
@Command(name = "local-cluster", mixinStandardHelpOptions = true,
        description = "Start a Spark master and workers on 127.0.0.1, print the master's URL, run until Ctrl-C.")
public final class LocalCluster implements AutoCloseable, Callable<Integer> {
    private static final long POLL_MILLIS = 250;

    private final List<Process> processes = new ArrayList<>(); // the master first, then the workers
    private String url;

    @Option(names = "--workers", defaultValue = "2", description = "Workers. Default: ${DEFAULT-VALUE}.")
    int workers;
    @Option(names = "--cores", defaultValue = "1", description = "Cores each worker offers (children it trains at once). Default: ${DEFAULT-VALUE}.")
    int cores;
    @Option(names = "--memory", defaultValue = "1g", description = "Memory each worker offers its executor. Default: ${DEFAULT-VALUE}.")
    String memory;
    @Option(names = "--port", defaultValue = "7077", description = "The master's port (0: any free one). Default: ${DEFAULT-VALUE}.")
    int port;
    @Option(names = "--dir", defaultValue = "spark-local", description = "Folder of the logs and work folders. Default: ${DEFAULT-VALUE}.")
    Path dir;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new LocalCluster());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {  // one line, as every command of nas-engine says what went wrong
            cmd.getErr().println("local-cluster: " + e.getMessage());
            return 1;
        });
        System.exit(cl.execute(args));
    }

    /** Starts a cluster on free ports and returns once all its workers have joined the master. */
    public static LocalCluster start(int workers, int cores, String memory, Path dir, Duration timeout) throws IOException {
        LocalCluster c = new LocalCluster();
        c.workers = workers;
        c.cores = cores;
        c.memory = memory;
        c.port = 0;
        c.dir = dir;
        try {
            c.launch(timeout);
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "local-cluster-stop"));
        launch(Duration.ofSeconds(120));
        System.out.println(url);
        System.out.printf("%d worker(s) of %d core(s) joined; logs in %s. Stop with Ctrl-C.%n", workers, cores, dir.toAbsolutePath());
        processes.getFirst().waitFor();
        return 0;
    }

    /** The master's address, for --cluster. */
    public String url() {
        return url;
    }

    /** The folder where worker {@code i} runs its executors: each executor's stdout and stderr are there. */
    public Path workDir(int i) {
        return dir.resolve("work-" + i).toAbsolutePath();
    }

    /** Kills worker {@code i} and the executor it launched with SIGKILL, as when their machine dies. */
    public void killWorker(int i) throws InterruptedException {
        Process worker = processes.get(1 + i);
        List<ProcessHandle> executors = worker.descendants().toList(); // before it dies: then they are orphans
        worker.destroyForcibly();
        executors.forEach(ProcessHandle::destroyForcibly);
        worker.waitFor(10, TimeUnit.SECONDS);
    }

    private void launch(Duration timeout) throws IOException {
        if (workers < 1) throw new IllegalArgumentException("--workers (" + workers + ") must be >= 1");
        if (cores < 1) throw new IllegalArgumentException("--cores (" + cores + ") must be >= 1");
        Files.createDirectories(dir.resolve("spark-home/jars"));
        int masterPort = port == 0 ? freePort() : port, uiPort = freePort();
        url = "spark://127.0.0.1:" + masterPort;
        processes.add(daemon("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(masterPort),
                "--webui-port", String.valueOf(uiPort)));
        for (int i = 0; i < workers; i++) {
            processes.add(daemon("worker-" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", String.valueOf(cores),
                    "--memory", memory, "--webui-port", "0", "--work-dir", workDir(i).toString(), url));
        }
        awaitWorkers(uiPort, timeout);
    }

    /**
     * A master or worker JVM. Its executors are launched by the worker from SPARK_HOME/jars plus
     * spark.executor.extraClassPath (set by the driver): an empty SPARK_HOME, as there is no Spark
     * installation, only this classpath.
     */
    private Process daemon(String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-Dspark.port.maxRetries=0", // a master whose port is taken exits, rather than listen on the next one unknown to us
                "-Dspark.master.rest.enabled=false", // its REST submission server would take port 6066: two clusters would clash
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", dir.resolve("spark-home").toAbsolutePath().toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1"); // every socket of the master, the workers and their executors on loopback
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("JAVA_HOME", System.getProperty("java.home")); // the executors' JVM: this one, which has FFM
        return pb.start();
    }

    /** Polls the master's status page until every worker is alive, a process dies, or the time is up. */
    private void awaitWorkers(int uiPort, Duration timeout) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest status = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/")).timeout(Duration.ofSeconds(2)).build();
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + timeout.toNanos();
        int alive = 0;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < processes.size(); i++)
                if (!processes.get(i).isAlive()) throw exited(i == 0 ? "master" : "worker-" + (i - 1), processes.get(i));
            try {
                JsonNode page = json.readTree(http.send(status, HttpResponse.BodyHandlers.ofString()).body());
                alive = page.path("aliveworkers").asInt();
                if (alive >= workers) return;
            } catch (IOException e) {
                // the master is still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the cluster started", e);
            }
            sleep();
        }
        throw new IOException(alive + " of " + workers + " workers joined the master within " + timeout.toSeconds() + " s; see the logs in " + dir);
    }

    /** A daemon that died while the cluster started, with the last line of its log (a port taken, too little memory). */
    private IOException exited(String name, Process p) throws IOException {
        Path log = dir.resolve(name + ".log");
        String last = Files.readAllLines(log).reversed().stream().filter(l -> !l.isBlank()).findFirst().orElse("(its log is empty)");
        return new IOException("the Spark " + name + " exited with " + p.exitValue() + ": " + last.strip() + " (log: " + log + ")");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Stops the workers (and their executors), then the master; each within a bounded wait. */
    @Override
    public void close() {
        for (Process p : processes.reversed()) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
