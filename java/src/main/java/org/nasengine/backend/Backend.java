package org.nasengine.backend;

/**
 * The few primitives a device supplies; everything rich lives on {@code Tensor} and in the
 * autograd ops. Layouts: images NCHW, matrices row-major, all buffers contiguous. Lengths and
 * offsets count elements. Methods named {@code ...Backward} and {@link #sumInto} ADD into their
 * outputs (+=), so fan-out gradients accumulate; every other method overwrites its output.
 * A null gradient output means "not wanted". Buffers hold float32, or int32 for ids and labels.
 */
public interface Backend extends AutoCloseable {
    String name();

    // memory: allocate returns zero-filled buffers from this backend's pool
    Buffer allocate(long length);
    void release(Buffer buffer);
    PoolStats poolStats();
    /** Gives the pool's cached free buffers back to the device, e.g. between children of other shapes. Default: keeps them. */
    default void releaseCached() {}
    void write(float[] src, Buffer dst, long dstOffset);
    void read(Buffer src, long srcOffset, float[] dst);
    void writeInts(int[] src, Buffer dst, long dstOffset);
    void fill(Buffer dst, long offset, long length, float value);
    void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long length);

    // dense algebra
    void gemm(Gemm g, Buffer a, Buffer b, Buffer c);
    void unary(Unary op, long n, Buffer x, Buffer y);
    void unaryBackward(Unary op, long n, Buffer x, Buffer y, Buffer dy, Buffer dx);
    void binary(Binary op, Broadcast shape, Buffer a, Buffer b, Buffer out);
    void sumInto(Broadcast shape, Buffer src, Buffer dst);
    void scale(long n, float factor, Buffer x);
    double sumOfSquares(long n, Buffer x);

    // convolution family
    void conv2d(ConvGeometry g, Buffer x, Buffer w, Buffer y);
    void conv2dBackward(ConvGeometry g, Buffer x, Buffer w, Buffer dy, Buffer dx, Buffer dw);
    void pool2d(PoolGeometry g, Buffer x, Buffer y);
    void pool2dBackward(PoolGeometry g, Buffer x, Buffer y, Buffer dy, Buffer dx);
    void batchNorm(BatchNormSpec s, Buffer x, Buffer gamma, Buffer beta, Buffer runningMean,
                   Buffer runningVar, Buffer savedMean, Buffer savedInvStd, Buffer y);
    void batchNormBackward(BatchNormSpec s, Buffer x, Buffer gamma, Buffer savedMean, Buffer savedInvStd,
                           Buffer dy, Buffer dx, Buffer dGamma, Buffer dBeta);
    void padConcat(JoinGeometry j, Buffer[] inputs, Buffer out);
    void padConcatBackward(JoinGeometry j, Buffer dOut, Buffer[] dInputs);

    // rows: softmax, embeddings, dropout, recurrent cells
    void logSoftmax(int rows, int cols, Buffer x, Buffer y);
    void logSoftmaxBackward(int rows, int cols, Buffer y, Buffer dy, Buffer dx);
    void softmaxCrossEntropy(int rows, int cols, Buffer logits, Buffer labels, Buffer probs, Buffer loss);
    void softmaxCrossEntropyBackward(int rows, int cols, Buffer probs, Buffer labels, Buffer dLoss, Buffer dLogits);
    void gatherRows(int count, int width, Buffer table, Buffer ids, Buffer out);
    void gatherRowsBackward(int count, int width, Buffer dOut, Buffer ids, Buffer dTable);
    void dropoutMask(long n, float keep, long seed, Buffer mask);
    void lstmCell(int n, int hidden, Buffer gates, Buffer cPrev, Buffer c, Buffer h);
    void lstmCellBackward(int n, int hidden, Buffer gates, Buffer cPrev, Buffer c, Buffer dh, Buffer dc,
                          Buffer dGates, Buffer dcPrev);

    // optimizers, fused over one parameter
    void sgdStep(long n, SgdConfig cfg, float lr, Buffer param, Buffer grad, Buffer velocity);
    void adamStep(long n, AdamConfig cfg, float lr, int step, Buffer param, Buffer grad, Buffer m, Buffer v);

    @Override void close();
}
