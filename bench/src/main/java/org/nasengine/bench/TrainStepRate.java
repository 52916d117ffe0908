package org.nasengine.bench;

import java.util.Locale;
import org.nasengine.backend.Backend;
import org.nasengine.nas.space.Architecture;

/**
 * Images per second of a reference architecture's training step ({@link ImageStep}: forward,
 * cross-entropy, backward, SGD) on a named backend, without JMH, for bench/gpu-check.sh (whose GPU
 * machine has no Maven to build the JMH jar). Prints one line,
 * <pre>RESULT train_step ref-cnn-b cuda 64 12.345 ms 5184.3 images/s 812.1 GFLOP/s</pre>
 * or "SKIP train_step ..." with the reason where the backend does not open.
 * Usage: TrainStepRate BACKEND ARCH [BATCH] [SECONDS]: images 1x28x28 for ref-cnn-a (Fashion-MNIST),
 * else 3x32x32 (CIFAR-10); batch 128 for ref-cnn-a and 64 otherwise, as in TrainStepBenchmark;
 * timed for SECONDS (default 3) after 3 warm-up steps. Each step reads its loss, so waits for the device.
 */
public final class TrainStepRate {
    private static final int WARMUP_STEPS = 3, MIN_STEPS = 5;

    private TrainStepRate() {}

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: TrainStepRate BACKEND ARCH [BATCH] [SECONDS]");
            System.exit(2);
        }
        String backend = args[0], name = args[1];
        boolean mnist = name.equals("ref-cnn-a");
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : mnist ? 128 : 64;
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 3;
        Architecture arch = ReferenceArchitectures.read(name);
        Backend be;
        try {
            be = BenchBackends.open(backend);
        } catch (IllegalStateException e) {
            System.out.println("SKIP train_step " + name + " " + backend + ": " + e.getMessage());
            return;
        }
        try (be; ImageStep step = new ImageStep(arch, mnist ? 1 : 3, mnist ? 28 : 32, batch, be, 1)) {
            float loss = 0;
            for (int i = 0; i < WARMUP_STEPS; i++) loss = step.step();   // JIT, pool, cuBLAS/kernel module warm
            int steps = 0;
            long start = System.nanoTime(), elapsed;
            do {
                loss = step.step();
                steps++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < seconds * 1e9 || steps < MIN_STEPS);
            if (!Float.isFinite(loss)) throw new IllegalStateException(name + " on " + backend + ": loss became " + loss);
            double ms = elapsed / 1e6 / steps;
            System.out.printf(Locale.ROOT, "RESULT train_step %s %s %d %.3f ms %.1f images/s %.1f GFLOP/s (%d steps)%n",
                    name, backend, batch, ms, batch / (ms / 1e3), step.flopsPerStep() / (ms * 1e6), steps);
        }
    }
}
