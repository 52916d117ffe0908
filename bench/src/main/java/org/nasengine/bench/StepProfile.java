package org.nasengine.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nasengine.backend.cpu.NativeBackend;
import org.nasengine.nas.space.Architecture;

/**
 * Where one training step's time goes: runs {@link ImageStep} on the native backend wrapped in a
 * {@link ProfilingBackend} and prints, per op family, calls, ms and share of the step, GFLOP/s
 * for the convolutions and GEMMs, and the time spent outside the backend (the Java side).
 *
 * <pre>java -cp bench/target/benchmarks.jar org.nasengine.bench.StepProfile ref-cnn-a [BATCH] [STEPS] [THREADS]</pre>
 * {@code StepProfile nb201-supernet [C] [N] [BATCH] [STEPS] [THREADS] [ROUNDS]} profiles the weight-sharing supernet
 * against its FLOPs ({@link SupernetProfile}).
 * The image is 1x28x28 for ref-cnn-a (Fashion-MNIST) and 3x32x32 otherwise (CIFAR-10).
 */
public final class StepProfile {
    private StepProfile() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("nb201-supernet")) { // the weight-sharing supernet: see SupernetProfile
            SupernetProfile.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        String name = args.length > 0 ? args[0] : "ref-cnn-a";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        boolean mnist = name.equals("ref-cnn-a");
        Architecture arch = ReferenceArchitectures.read(name);
        NativeBackend.setThreads(threads);
        try (ProfilingBackend be = new ProfilingBackend(BenchBackends.open("cpu"));
             ImageStep step = new ImageStep(arch, mnist ? 1 : 3, mnist ? 28 : 32, batch, be, 1)) {
            for (int i = 0; i < 2; i++) step.step(); // warm-up: JIT, pool, BLAS buffers
            be.reset();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) step.step();
            double stepMs = (System.nanoTime() - t0) / 1e6 / steps;
            print(name, batch, threads, steps, stepMs, step.flopsPerStep(), be.families());
        }
    }

    static void print(String name, int batch, int threads, int steps, double stepMs, double flops,
                      Map<String, ProfilingBackend.Family> families) {
        System.out.printf(Locale.ROOT, "%s, batch %d, %d threads, mean of %d steps: %.1f ms/step, %.1f images/s, %.1f GFLOP/s%n%n",
                name, batch, threads, steps, stepMs, batch / (stepMs / 1e3), flops / (stepMs * 1e6));
        table(steps, stepMs, families);
    }

    /** The per-family table: calls and ms per step, share of the step, GFLOP/s where counted, and the time outside the backend. */
    static void table(int steps, double stepMs, Map<String, ProfilingBackend.Family> families) {
        System.out.println("| op family | calls/step | ms/step | share | GFLOP/s |");
        System.out.println("|---|---:|---:|---:|---:|");
        List<Map.Entry<String, ProfilingBackend.Family>> rows = new ArrayList<>(families.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue().nanos, a.getValue().nanos));
        double inBackend = 0;
        for (var e : rows) {
            ProfilingBackend.Family f = e.getValue();
            double ms = f.nanos / 1e6 / steps;
            inBackend += ms;
            String rate = f.flops > 0 ? String.format(Locale.ROOT, "%.1f", f.flops / (f.nanos / 1e9) / 1e9) : "";
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.1f | %.1f%% | %s |%n", e.getKey(), (double) f.calls / steps, ms,
                    100 * ms / stepMs, rate);
        }
        double outside = stepMs - inBackend;
        System.out.printf(Locale.ROOT, "| outside the backend (autograd, tape, scopes) | | %.1f | %.1f%% | |%n", outside, 100 * outside / stepMs);
    }
}
