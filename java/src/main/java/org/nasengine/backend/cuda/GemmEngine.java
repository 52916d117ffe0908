package org.nasengine.backend.cuda;

/** A GEMM implementation on the backend's stream: cuBLAS ({@link CublasGemm}) or ours ({@link KernelGemm}). */
interface GemmEngine extends AutoCloseable {
    GemmPath path();

    /** Enqueues the product on the stream. */
    void run(GemmCall call);

    @Override
    void close();
}
