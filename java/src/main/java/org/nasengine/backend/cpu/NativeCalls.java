package org.nasengine.backend.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

/**
 * Downcall handles of nasengine.h, looked up once. This class is initialised only after
 * {@link NativeLibrary#available()} said yes, so a missing library never fails here.
 * Elementwise and row functions are "critical" (no thread-state transition: they are short,
 * never block and never call back into Java); gemm, conv and allocation are ordinary calls.
 */
final class NativeCalls {
    private NativeCalls() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout I = JAVA_INT, L = JAVA_LONG, F = JAVA_FLOAT, A = ADDRESS;
    private static final boolean CRIT = true, PLAIN = false;

    /** A handle for {@code name} returning {@code ret} (null: void). */
    private static MethodHandle h(String name, boolean critical, MemoryLayout ret, MemoryLayout... args) {
        MemorySegment symbol = NativeLibrary.lookup().find(name)
                .orElseThrow(() -> new IllegalStateException("native symbol " + name + " missing from "
                        + NativeLibrary.source()));
        FunctionDescriptor fd = ret == null ? FunctionDescriptor.ofVoid(args) : FunctionDescriptor.of(ret, args);
        return critical ? LINKER.downcallHandle(symbol, fd, Linker.Option.critical(false))
                : LINKER.downcallHandle(symbol, fd);
    }

    private static MemoryLayout[] ints(int count, MemoryLayout... tail) {
        MemoryLayout[] out = new MemoryLayout[count + tail.length];
        Arrays.fill(out, 0, count, I);
        System.arraycopy(tail, 0, out, count, tail.length);
        return out;
    }

    private static MemoryLayout[] concat(MemoryLayout[] head, MemoryLayout... tail) {
        MemoryLayout[] out = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    // memory.c
    static final MethodHandle BLAS_INFO = h("nas_blas_info", PLAIN, I, A, I);
    static final MethodHandle SET_THREADS = h("nas_set_threads", CRIT, null, I);
    static final MethodHandle GET_THREADS = h("nas_get_threads", CRIT, I);
    static final MethodHandle SET_DETERMINISTIC = h("nas_set_deterministic", CRIT, null, I);
    static final MethodHandle GET_DETERMINISTIC = h("nas_get_deterministic", CRIT, I);
    static final MethodHandle ALLOC = h("nas_alloc", PLAIN, I, L, A);
    static final MethodHandle FREE = h("nas_free", PLAIN, null, A);
    static final MethodHandle FILL = h("nas_fill", CRIT, null, L, F, A);
    static final MethodHandle WS_CREATE = h("nas_workspace_create", PLAIN, I, A);
    static final MethodHandle WS_DESTROY = h("nas_workspace_destroy", PLAIN, null, A);
    static final MethodHandle WS_BYTES = h("nas_workspace_bytes", CRIT, null, A, A);

    // gemm.c, elementwise.c
    static final MethodHandle GEMM = h("nas_gemm", PLAIN, I, I, I, I, I, I, F, A, A, F, A, I, L, L, L);
    static final MethodHandle UNARY = h("nas_unary", CRIT, I, I, L, A, A);
    static final MethodHandle UNARY_BACKWARD = h("nas_unary_backward", CRIT, I, I, L, A, A, A, A);
    static final MethodHandle BINARY = h("nas_binary", CRIT, I, ints(13, A, A, A));
    static final MethodHandle SUM_INTO = h("nas_sum_into", CRIT, null, ints(8, A, A));
    static final MethodHandle SCALE = h("nas_scale", CRIT, null, L, F, A);
    static final MethodHandle SUM_OF_SQUARES = h("nas_sum_of_squares", CRIT, null, L, A, A);

    // conv.c, pool.c, batchnorm.c, join.c
    static final MethodHandle CONV = h("nas_conv2d", PLAIN, I, concat(new MemoryLayout[] {A}, ints(14, A, A, A)));
    static final MethodHandle CONV_BACKWARD =
            h("nas_conv2d_backward", PLAIN, I, concat(new MemoryLayout[] {A}, ints(14, A, A, A, A, A)));
    static final MethodHandle POOL = h("nas_pool2d", PLAIN, I, ints(10, A, A));
    static final MethodHandle POOL_BACKWARD = h("nas_pool2d_backward", PLAIN, I, ints(10, A, A, A, A));
    static final MethodHandle BATCHNORM = h("nas_batchnorm", PLAIN, I, I, I, I, F, F, I, A, A, A, A, A, A, A, A);
    static final MethodHandle BATCHNORM_BACKWARD = h("nas_batchnorm_backward", PLAIN, I, ints(3, A, A, A, A, A, A, A, A));
    static final MethodHandle PAD_INTO = h("nas_pad_into", PLAIN, I, ints(10, A, A));
    static final MethodHandle PAD_INTO_BACKWARD = h("nas_pad_into_backward", PLAIN, I, ints(10, A, A));

    // rows.c, lstm.c, optim.c
    static final MethodHandle LOG_SOFTMAX = h("nas_log_softmax", CRIT, I, I, I, A, A);
    static final MethodHandle LOG_SOFTMAX_BACKWARD = h("nas_log_softmax_backward", CRIT, I, I, I, A, A, A);
    static final MethodHandle XENT = h("nas_softmax_xent", CRIT, I, I, I, A, A, A, A);
    static final MethodHandle XENT_BACKWARD = h("nas_softmax_xent_backward", CRIT, I, I, I, A, A, A, A);
    static final MethodHandle GATHER = h("nas_gather_rows", CRIT, I, I, I, L, A, A, A);
    static final MethodHandle GATHER_BACKWARD = h("nas_gather_rows_backward", CRIT, I, I, I, L, A, A, A);
    static final MethodHandle DROPOUT = h("nas_dropout_mask", CRIT, null, L, F, L, A);
    static final MethodHandle LSTM = h("nas_lstm_cell", CRIT, I, I, I, A, A, A, A);
    static final MethodHandle LSTM_BACKWARD = h("nas_lstm_cell_backward", CRIT, I, I, I, A, A, A, A, A, A, A);
    static final MethodHandle SGD = h("nas_sgd_step", CRIT, null, L, F, F, I, F, A, A, A);
    static final MethodHandle ADAM = h("nas_adam_step", CRIT, null, L, F, F, F, F, F, I, A, A, A, A);

    /** Rethrows what a downcall threw (only errors of the JVM itself: C code does not throw). */
    static RuntimeException fail(String function, Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("native call " + function + " failed", t);
    }
}
