package org.nasengine.backend.cuda;

import java.util.Arrays;
import java.util.Random;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.Gemm;

/**
 * Square fp32 GEMM throughput of the CUDA backend, our kernel and cuBLAS, for bench/gpu-check.sh
 * (which compares it with PyTorch). Lives with the tests: it needs a GPU and ships in no jar.
 * Prints one line per measurement: "RESULT gemm_fp32 ours-kernel 4096 12.345 ms 11.13 TFLOP/s".
 * Usage: CudaGemmBenchmark [sizes...] (default 1024 2048 4096).
 */
public final class CudaGemmBenchmark {
    private CudaGemmBenchmark() {}

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {1024, 2048, 4096} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        String reason = CudaBackend.unavailableReason();
        if (reason != null) {
            System.out.println("SKIP gemm_fp32: " + reason);
            return;
        }
        for (GemmPath path : new GemmPath[] {GemmPath.KERNEL, GemmPath.CUBLAS}) {
            String label = "ours-" + path.name().toLowerCase(java.util.Locale.ROOT);
            if (path == GemmPath.CUBLAS && CudaBackend.cublasUnavailableReason() != null) {
                System.out.println("SKIP gemm_fp32 " + label + ": " + CudaBackend.cublasUnavailableReason());
                continue;
            }
            try (CudaBackend be = new CudaBackend(0, path)) {
                for (int n : sizes) {
                    double ms = timeSquare(be, n);
                    System.out.printf(java.util.Locale.ROOT, "RESULT gemm_fp32 %s %d %.3f ms %.2f TFLOP/s%n",
                            label, n, ms, 2.0 * n * n * n / (ms * 1e-3) / 1e12);
                }
            }
        }
    }

    /** Milliseconds per n x n x n product, after warm-up, over at least 0.5 s or 5 repetitions. */
    static double timeSquare(CudaBackend be, int n) {
        long len = (long) n * n;
        float[] values = new float[Math.toIntExact(len)];
        Random rnd = new Random(n);
        for (int i = 0; i < values.length; i++) values[i] = rnd.nextFloat() - 0.5f;
        Buffer a = be.allocate(len), b = be.allocate(len), c = be.allocate(len);
        try {
            be.write(values, a, 0);
            be.write(values, b, 0);
            Gemm g = Gemm.of(false, false, n, n, n, 0f);
            float[] probe = new float[1];
            for (int i = 0; i < 3; i++) be.gemm(g, a, b, c);
            be.read(c, 0, probe);   // waits for the device
            int reps = 0;
            long start = System.nanoTime(), elapsed;
            do {
                for (int i = 0; i < 5; i++) be.gemm(g, a, b, c);
                reps += 5;
                be.read(c, 0, probe);
                elapsed = System.nanoTime() - start;
            } while (elapsed < 500_000_000L && reps < 200);
            if (!Float.isFinite(probe[0])) throw new IllegalStateException("gemm " + n + " produced " + probe[0]);
            return elapsed / 1e6 / reps;
        } finally {
            be.release(a);
            be.release(b);
            be.release(c);
        }
    }
}
