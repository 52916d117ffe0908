package org.nasengine.backend.cuda;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Which GEMM a {@link CudaBackend} runs: cuBLAS where it loads and starts, else our kernel, saying why once. */
final class GemmChoice {
    private static final System.Logger LOG = System.getLogger(CudaBackend.class.getName());
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private GemmChoice() {}

    /** The engine for {@code path} on dev: cuBLAS through JCublas2 on a real GPU, else our kernel. */
    static GemmEngine open(DeviceApi dev, GemmPath path) {
        String noCublas = path == GemmPath.KERNEL ? "our kernel was asked for"
                : dev instanceof CudaDevice ? CudaBackend.cublasUnavailableReason() : "cuBLAS needs a real GPU";
        return open(dev, path, noCublas, () -> new CublasGemm((CudaDevice) dev));
    }

    /**
     * The engine for {@code path}: {@code cublas} opens cuBLAS unless {@code noCublas} says why
     * not. libcublas.so.12 can load and still fail to start (cublasCreate or cublasSetStream
     * failing: out of memory, a driver it does not support); {@link GemmPath#AUTO} then logs why
     * and uses our kernel, {@link GemmPath#CUBLAS} fails with the reason and the device.
     */
    static GemmEngine open(DeviceApi dev, GemmPath path, String noCublas, Supplier<GemmEngine> cublas) {
        Throwable failure = null;
        if (noCublas == null) {
            try {
                GemmEngine engine = cublas.get();
                logOnce(System.Logger.Level.INFO, "cuda: GEMM via cuBLAS (libcublas.so.12) on " + dev.describe());
                return engine;
            } catch (RuntimeException | LinkageError e) {   // CudaException from cublasCreate/cublasSetStream
                failure = e;
                noCublas = "cuBLAS loaded but failed to start (cublasCreate/cublasSetStream: " + e.getMessage() + ")";
            }
        }
        if (path == GemmPath.CUBLAS)
            throw new IllegalStateException("cuda backend on " + dev.describe() + ": cuBLAS asked for, but " + noCublas, failure);
        logOnce(failure == null ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                "cuda: GEMM via our tiled kernel on " + dev.describe() + ": " + noCublas);
        return new KernelGemm(dev);
    }

    private static void logOnce(System.Logger.Level level, String message) {
        if (LOGGED.add(message)) LOG.log(level, message);
    }
}
