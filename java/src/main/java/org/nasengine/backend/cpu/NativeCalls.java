package org.nasengine.backend.cpu;

import java.lang.invoke.MethodHandle;

/**
 * Downcall handles of nasengine.h, looked up once, each a constant so that the JIT inlines the
 * call. This class is initialised only after {@link NativeLibrary#available()} said yes, so a
 * missing library never fails here. The signatures, and which calls are critical, are in
 * {@link NativeFunction}.
 */
final class NativeCalls {
    private NativeCalls() {}

    // memory.c
    static final MethodHandle BLAS_INFO = NativeFunction.BLAS_INFO.downcall();
    static final MethodHandle SET_THREADS = NativeFunction.SET_THREADS.downcall();
    static final MethodHandle GET_THREADS = NativeFunction.GET_THREADS.downcall();
    static final MethodHandle SET_DETERMINISTIC = NativeFunction.SET_DETERMINISTIC.downcall();
    static final MethodHandle GET_DETERMINISTIC = NativeFunction.GET_DETERMINISTIC.downcall();
    static final MethodHandle ALLOC = NativeFunction.ALLOC.downcall();
    static final MethodHandle FREE = NativeFunction.FREE.downcall();
    static final MethodHandle FILL = NativeFunction.FILL.downcall();
    static final MethodHandle WS_CREATE = NativeFunction.WS_CREATE.downcall();
    static final MethodHandle WS_DESTROY = NativeFunction.WS_DESTROY.downcall();
    static final MethodHandle WS_BYTES = NativeFunction.WS_BYTES.downcall();

    // gemm.c, elementwise.c
    static final MethodHandle GEMM = NativeFunction.GEMM.downcall();
    static final MethodHandle UNARY = NativeFunction.UNARY.downcall();
    static final MethodHandle UNARY_BACKWARD = NativeFunction.UNARY_BACKWARD.downcall();
    static final MethodHandle BINARY = NativeFunction.BINARY.downcall();
    static final MethodHandle SUM_INTO = NativeFunction.SUM_INTO.downcall();
    static final MethodHandle SCALE = NativeFunction.SCALE.downcall();
    static final MethodHandle SUM_OF_SQUARES = NativeFunction.SUM_OF_SQUARES.downcall();

    // conv.c, pool.c, batchnorm.c, join.c
    static final MethodHandle CONV = NativeFunction.CONV.downcall();
    static final MethodHandle CONV_BACKWARD = NativeFunction.CONV_BACKWARD.downcall();
    static final MethodHandle POOL = NativeFunction.POOL.downcall();
    static final MethodHandle POOL_BACKWARD = NativeFunction.POOL_BACKWARD.downcall();
    static final MethodHandle BATCHNORM = NativeFunction.BATCHNORM.downcall();
    static final MethodHandle BATCHNORM_BACKWARD = NativeFunction.BATCHNORM_BACKWARD.downcall();
    static final MethodHandle PAD_INTO = NativeFunction.PAD_INTO.downcall();
    static final MethodHandle PAD_INTO_BACKWARD = NativeFunction.PAD_INTO_BACKWARD.downcall();

    // rows.c, lstm.c, optim.c
    static final MethodHandle LOG_SOFTMAX = NativeFunction.LOG_SOFTMAX.downcall();
    static final MethodHandle LOG_SOFTMAX_BACKWARD = NativeFunction.LOG_SOFTMAX_BACKWARD.downcall();
    static final MethodHandle XENT = NativeFunction.XENT.downcall();
    static final MethodHandle XENT_BACKWARD = NativeFunction.XENT_BACKWARD.downcall();
    static final MethodHandle GATHER = NativeFunction.GATHER.downcall();
    static final MethodHandle GATHER_BACKWARD = NativeFunction.GATHER_BACKWARD.downcall();
    static final MethodHandle DROPOUT = NativeFunction.DROPOUT.downcall();
    static final MethodHandle LSTM = NativeFunction.LSTM.downcall();
    static final MethodHandle LSTM_BACKWARD = NativeFunction.LSTM_BACKWARD.downcall();
    static final MethodHandle SGD = NativeFunction.SGD.downcall();
    static final MethodHandle ADAM = NativeFunction.ADAM.downcall();

    /** Rethrows what a downcall threw (only errors of the JVM itself: C code does not throw). */
    static RuntimeException fail(String function, Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("native call " + function + " failed", t);
    }
}
