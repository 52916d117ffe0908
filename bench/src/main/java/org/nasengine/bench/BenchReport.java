package org.nasengine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.cpu.NativeBackend;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ConvBenchmark} (cpu at batch 128, java at a small batch) and {@link SgemmBenchmark},
 * then prints a markdown table with GFLOP/s beside each time and the conv/sgemm ratio against
 * the 60% target. Usage: java -cp benchmarks.jar org.nasengine.bench.BenchReport
 * [--quick] [--java-batch N] [--no-java].
 */
public final class BenchReport {
    private BenchReport() {}

    private record Row(String bench, String backend, String shape, int batch, double ms, double err, double gflops) {}

    public static void main(String[] args) throws RunnerException, IOException {
        boolean quick = false, java = true;
        int javaBatch = 8;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--no-java" -> java = false;
                case "--java-batch" -> javaBatch = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (expected --quick, --java-batch N, --no-java)");
            }
        }
        List<Row> rows = new ArrayList<>();
        rows.addAll(conv(run(options(quick).include(SgemmBenchmark.class.getSimpleName() + ".sgemm")
                .param("backend", "cpu")), true));
        rows.addAll(conv(run(options(quick).include(ConvBenchmark.class.getSimpleName() + ".forwardBackward")
                .param("backend", "cpu").param("batch", "128")), false));
        if (java)
            rows.addAll(conv(run(options(quick).include(ConvBenchmark.class.getSimpleName() + ".forwardBackward")
                    .param("backend", "java").param("batch", Integer.toString(javaBatch))
                    .warmupIterations(1).measurementIterations(2)), false));
        print(rows);
    }

    private static ChainedOptionsBuilder options(boolean quick) {
        ChainedOptionsBuilder b = new OptionsBuilder().forks(1);
        if (quick) b = b.warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(2)
                .measurementTime(TimeValue.seconds(1));
        return b;
    }

    private static Collection<RunResult> run(ChainedOptionsBuilder b) throws RunnerException {
        return new Runner(b.build()).run();
    }

    private static List<Row> conv(Collection<RunResult> results, boolean sgemm) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String backend = r.getParams().getParam("backend");
            double ms = r.getPrimaryResult().getScore(), err = r.getPrimaryResult().getScoreError();
            if (sgemm) {
                int size = Integer.parseInt(r.getParams().getParam("size"));
                rows.add(new Row("sgemm", backend, size + "^3", 1, ms, err, SgemmBenchmark.flops(size) / (ms * 1e6)));
            } else {
                int layer = Integer.parseInt(r.getParams().getParam("layer"));
                int batch = Integer.parseInt(r.getParams().getParam("batch"));
                ConvGeometry g = RefCnnA.geometry(layer, batch);
                String shape = "L" + layer + " " + g.cin() + "->" + g.cout() + " " + g.kh() + "x" + g.kw() + " s"
                        + g.strideH() + " @" + g.h() + "x" + g.w();
                rows.add(new Row("conv f+b", backend, shape, batch, ms, err,
                        RefCnnA.forwardBackwardFlops(layer, batch) / (ms * 1e6)));
            }
        }
        return rows;
    }

    private static void print(List<Row> rows) throws IOException {
        System.out.println("date: " + ZonedDateTime.now());
        System.out.println("cpu: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        if (NativeBackend.isAvailable()) System.out.println("blas: " + NativeBackend.blasInfo());
        System.out.println();
        System.out.println("| benchmark | backend | shape | batch | time (ms) | GFLOP/s |");
        System.out.println("|---|---|---|---|---|---|");
        for (Row r : rows)
            System.out.println(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.2f ± %.2f | %.1f |", r.bench(),
                    r.backend(), r.shape(), r.batch(), r.ms(), r.err(), r.gflops()));
        double bestSgemm = rows.stream().filter(r -> r.bench().equals("sgemm")).mapToDouble(Row::gflops).max().orElse(0);
        double convFlops = 0, convMs = 0;
        for (Row r : rows)
            if (r.bench().startsWith("conv") && r.backend().equals("cpu")) {
                convMs += r.ms();
                convFlops += r.gflops() * r.ms() * 1e6;
            }
        if (bestSgemm > 0 && convMs > 0) {
            double convRate = convFlops / (convMs * 1e6);
            System.out.println();
            System.out.println(String.format(Locale.ROOT,
                    "cpu conv f+b, all six layers: %.1f ms, %.1f GFLOP/s = %.0f%% of the best sgemm (%.1f GFLOP/s); target 60%%",
                    convMs, convRate, 100 * convRate / bestSgemm, bestSgemm));
            for (Row r : rows)
                if (r.bench().startsWith("conv") && r.backend().equals("cpu"))
                    System.out.println(String.format(Locale.ROOT, "  %s: %.0f%%", r.shape(), 100 * r.gflops() / bestSgemm));
        }
    }

    private static String cpuModel() throws IOException {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) return System.getProperty("os.arch");
        return Files.readAllLines(info).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    }
}
