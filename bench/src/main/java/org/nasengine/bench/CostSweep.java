package org.nasengine.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.nasengine.backend.Backend;
import org.nasengine.backend.cpu.NativeBackend;
import org.nasengine.nas.space.MacroCnn;

/**
 * The cost curve of macro children on the native backend: training-step time and peak memory
 * against batch size, filter count, depth and the number of skip connections, one knob at a time
 * around a base child, on 1x28x28 images. Memory is the backend pool's bytes after the steps: the
 * pool never frees, so that is the step's peak working set of parameters, gradients, optimizer
 * state and activations. Writes one PNG per knob and prints a markdown table.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.nasengine.bench.CostSweep [OUT_DIR] [THREADS]</pre>
 *
 * The child: {@code depth} 3x3 layers of {@code filters} filters, stride 1, each reading the one
 * before; a skip connection makes layer i also read layer i-2 (the last layers first), which
 * doubles that layer's input channels through the join.
 */
public final class CostSweep {
    private static final int SIZE = 28, WARMUP = 2, STEPS = 5;
    private static final int BATCH = 64, FILTERS = 32, DEPTH = 6, SKIPS = 0;

    /** One measured point. */
    record Point(int batch, int filters, int depth, int skips, double stepMs, double gflopPerStep, double poolMiB) {}

    private CostSweep() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "bench");
        NativeBackend.setThreads(args.length > 1 ? Integer.parseInt(args[1]) : 2);
        System.setProperty("java.awt.headless", "true");
        measure(BATCH, FILTERS, DEPTH, SKIPS); // JIT and BLAS warm-up, so the first point is not penalised
        List<String> table = new ArrayList<>();
        table.add("| knob | batch | filters | depth | skips | ms/step | GFLOP/step | GFLOP/s | pool MiB |");
        table.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        sweep("batch", new int[] {8, 16, 32, 64, 128, 256}, v -> measure(v, FILTERS, DEPTH, SKIPS), out, table);
        sweep("filters", new int[] {8, 16, 32, 64, 96, 128}, v -> measure(BATCH, v, DEPTH, SKIPS), out, table);
        sweep("depth", new int[] {2, 4, 6, 8, 10, 12}, v -> measure(BATCH, FILTERS, v, SKIPS), out, table);
        sweep("skips", new int[] {0, 1, 2, 3, 4}, v -> measure(BATCH, FILTERS, DEPTH, v), out, table);
        table.forEach(System.out::println);
    }

    private interface Knob {
        Point at(int value);
    }

    private static void sweep(String knob, int[] values, Knob f, Path out, List<String> table) throws IOException {
        double[] x = new double[values.length], ms = new double[values.length], mib = new double[values.length];
        double[] flopShape = new double[values.length];
        Point[] points = new Point[values.length];
        for (int i = 0; i < values.length; i++) {
            Point p = f.at(values[i]);
            points[i] = p;
            x[i] = values[i];
            ms[i] = p.stepMs();
            mib[i] = p.poolMiB();
            table.add(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.1f | %.2f | %.1f | %.1f |", knob, p.batch(),
                    p.filters(), p.depth(), p.skips(), p.stepMs(), p.gflopPerStep(), p.gflopPerStep() / (p.stepMs() / 1e3),
                    p.poolMiB()));
            System.err.println(table.getLast());
        }
        // FLOPs scaled to the time of the middle point: where time tracks FLOPs the two lines meet
        int mid = values.length / 2;
        for (int i = 0; i < values.length; i++) flopShape[i] = points[i].gflopPerStep() * ms[mid] / points[mid].gflopPerStep();
        XYChart chart = new XYChartBuilder().width(720).height(440)
                .title("Step cost vs " + knob + " (macro CNN, 1x28x28, cpu)")
                .xAxisTitle(knob).yAxisTitle("ms per step").build();
        chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        chart.addSeries("step time (ms)", x, ms);
        XYSeries flops = chart.addSeries("FLOPs (scaled to meet the middle point)", x, flopShape);
        flops.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
        XYSeries mem = chart.addSeries("peak pool memory (MiB, right)", x, mib);
        mem.setYAxisGroup(1);
        chart.setYAxisGroupTitle(1, "MiB");
        BitmapEncoder.saveBitmap(chart, out.resolve("cost-" + knob).toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    static Point measure(int batch, int filters, int depth, int skips) {
        MacroCnn arch = child(filters, depth, skips);
        try (Backend be = BenchBackends.open("cpu"); ImageStep step = new ImageStep(arch, 1, SIZE, batch, be, 1)) {
            for (int i = 0; i < WARMUP; i++) step.step();
            double[] ms = new double[STEPS];
            for (int i = 0; i < STEPS; i++) {
                long t0 = System.nanoTime();
                step.step();
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            return new Point(batch, filters, depth, skips, ms[STEPS / 2], step.flopsPerStep() / 1e9,
                    be.poolStats().bytesHeld() / (1024.0 * 1024.0));
        }
    }

    /** depth 3x3 layers in a chain; the last {@code skips} layers (from index 2 up) also read layer i-2. */
    static MacroCnn child(int filters, int depth, int skips) {
        if (skips > Math.max(0, depth - 2))
            throw new IllegalArgumentException("skips (" + skips + ") must be <= depth - 2 (" + (depth - 2) + ")");
        List<MacroCnn.Layer> layers = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            int[] inputs = i == 0 ? new int[0] : i >= depth - skips ? new int[] {i - 2, i - 1} : new int[] {i - 1};
            layers.add(new MacroCnn.Layer(3, 3, filters, 1, inputs));
        }
        return new MacroCnn(layers);
    }
}
