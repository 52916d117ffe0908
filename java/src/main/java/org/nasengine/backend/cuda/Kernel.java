package org.nasengine.backend.cuda;

import java.util.Locale;

/**
 * Every kernel of nasengine_kernels.fatbin, with its C parameter list as a signature string so
 * that a launch with the wrong argument types fails in Java instead of reading garbage on the
 * device: i = int32, l = int64, f = float32, p = device pointer (null allowed), s = struct by value
 * (a byte[] from {@link CudaStructs}). The symbol is the constant's name in lower case;
 * KernelSignatureTest checks every entry against the extern "C" declarations in kernels/*.cu.
 */
enum Kernel {
    // elementwise.cu
    UNARY_FWD("i l p p"),
    UNARY_BWD("i l p p p p"),
    BINARY_BCAST("i s l p p p"),
    SUM_INTO("s l i p p"),
    SCALE("l f p"),
    FILL("l f p"),
    SUM_OF_SQUARES("l p p"),
    // rows.cu
    LOG_SOFTMAX_FWD("i i p p"),
    LOG_SOFTMAX_BWD("i i p p p"),
    SOFTMAX_XENT_FWD("i i p p p p p"),
    SOFTMAX_XENT_BWD("i i p p p p"),
    GATHER_ROWS("i i l p p p p"),
    GATHER_ROWS_BWD("i i l p p p"),
    DROPOUT_MASK("l f l p"),
    // lstm.cu
    LSTM_CELL_FWD("i i p p p p"),
    LSTM_CELL_BWD("i i p p p p p p p"),
    // optim.cu
    SGD_STEP("l f f i f p p p"),
    ADAM_STEP("l f f f f f f f p p p p"),
    // pool.cu
    MAX_POOL_FWD("s p p"),
    MAX_POOL_BWD("s p p p"),
    AVG_POOL_FWD("s p p"),
    AVG_POOL_BWD("s p p"),
    // batchnorm.cu
    BN_STATS("s p p p p p"),
    BN_APPLY_TRAIN("s p p p p p p"),
    BN_APPLY_EVAL("s p p p p p p"),
    BN_BWD("s p p p p p p p p"),
    // join.cu
    PAD_CONCAT_FWD("s p"),
    PAD_CONCAT_BWD("s p"),
    // im2col.cu
    IM2COL("s i p p"),
    COL2IM("s i p p"),
    NCHW_TO_CNHW("i i l p p"),
    // depthwise.cu
    DEPTHWISE_FWD("s p p p"),
    DEPTHWISE_BWD_DATA("s p p p"),
    DEPTHWISE_BWD_FILTER("s p p p"),
    // gemm.cu
    SGEMM_128X128("s p p p"),
    SGEMM_64X64("s p p p");

    final String symbol;
    final char[] signature;

    Kernel(String signature) {
        this.symbol = name().toLowerCase(Locale.ROOT);
        this.signature = signature.replace(" ", "").toCharArray();
    }

    /** Throws unless args fit the signature: a wrong type here would be garbage on the device. */
    void check(Object[] args) {
        if (args.length != signature.length)
            throw new IllegalArgumentException(symbol + " takes " + signature.length + " arguments, got " + args.length);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            boolean ok = switch (signature[i]) {
                case 'i' -> a instanceof Integer;
                case 'l' -> a instanceof Long;
                case 'f' -> a instanceof Float;
                case 's' -> a instanceof byte[];
                case 'p' -> a == null || a instanceof CudaBuffer || a instanceof DevicePtr;
                default -> throw new IllegalStateException(symbol + ": unknown signature letter " + signature[i]);
            };
            if (!ok)
                throw new IllegalArgumentException(symbol + " argument " + i + " must be '" + signature[i] + "', got "
                        + (a == null ? "null" : a.getClass().getSimpleName()));
        }
    }
}
