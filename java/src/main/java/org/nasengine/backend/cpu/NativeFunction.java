package org.nasengine.backend.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.nasengine.backend.cpu.NativeFunction.Call.CRITICAL;
import static org.nasengine.backend.cpu.NativeFunction.Call.PLAIN;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Every function of nasengine.h as the FFM calls it: its symbol, whether the call is "critical"
 * (no thread-state transition: short, never blocks, never calls back into Java), and its C
 * signature in letters: i = int, l = int64_t, f = float, p = pointer, v = void (returns only);
 * {@code 13i} stands for thirteen ints. Built without the library, so that NativeSignatureTest
 * checks every entry against the header on any machine; {@link NativeCalls} links them.
 */
enum NativeFunction {
    // memory.c
    BLAS_INFO("nas_blas_info", PLAIN, "i", "p i"),
    SET_THREADS("nas_set_threads", CRITICAL, "v", "i"),
    GET_THREADS("nas_get_threads", CRITICAL, "i", ""),
    SET_DETERMINISTIC("nas_set_deterministic", CRITICAL, "v", "i"),
    GET_DETERMINISTIC("nas_get_deterministic", CRITICAL, "i", ""),
    ALLOC("nas_alloc", PLAIN, "i", "l p"),
    FREE("nas_free", PLAIN, "v", "p"),
    FILL("nas_fill", CRITICAL, "v", "l f p"),
    WS_CREATE("nas_workspace_create", PLAIN, "i", "p"),
    WS_DESTROY("nas_workspace_destroy", PLAIN, "v", "p"),
    WS_BYTES("nas_workspace_bytes", CRITICAL, "v", "p p"),
    // gemm.c, elementwise.c
    GEMM("nas_gemm", PLAIN, "i", "5i f p p f p i 3l"),
    UNARY("nas_unary", CRITICAL, "i", "i l p p"),
    UNARY_BACKWARD("nas_unary_backward", CRITICAL, "i", "i l p p p p"),
    BINARY("nas_binary", CRITICAL, "i", "13i p p p"),
    SUM_INTO("nas_sum_into", CRITICAL, "v", "8i p p"),
    SCALE("nas_scale", CRITICAL, "v", "l f p"),
    SUM_OF_SQUARES("nas_sum_of_squares", CRITICAL, "v", "l p p"),
    // conv.c, pool.c, batchnorm.c, join.c
    CONV("nas_conv2d", PLAIN, "i", "p 14i p p p"),
    CONV_BACKWARD("nas_conv2d_backward", PLAIN, "i", "p 14i 5p"),
    POOL("nas_pool2d", PLAIN, "i", "10i p p"),
    POOL_BACKWARD("nas_pool2d_backward", PLAIN, "i", "10i 4p"),
    BATCHNORM("nas_batchnorm", PLAIN, "i", "3i f f i 8p"),
    BATCHNORM_BACKWARD("nas_batchnorm_backward", PLAIN, "i", "3i 8p"),
    PAD_INTO("nas_pad_into", PLAIN, "i", "10i p p"),
    PAD_INTO_BACKWARD("nas_pad_into_backward", PLAIN, "i", "10i p p"),
    // rows.c, lstm.c, optim.c
    LOG_SOFTMAX("nas_log_softmax", CRITICAL, "i", "i i p p"),
    LOG_SOFTMAX_BACKWARD("nas_log_softmax_backward", CRITICAL, "i", "i i p p p"),
    XENT("nas_softmax_xent", CRITICAL, "i", "i i 4p"),
    XENT_BACKWARD("nas_softmax_xent_backward", CRITICAL, "i", "i i 4p"),
    GATHER("nas_gather_rows", CRITICAL, "i", "i i l p p p"),
    GATHER_BACKWARD("nas_gather_rows_backward", CRITICAL, "i", "i i l p p p"),
    DROPOUT("nas_dropout_mask", CRITICAL, "v", "l f l p"),
    LSTM("nas_lstm_cell", CRITICAL, "i", "i i 4p"),
    LSTM_BACKWARD("nas_lstm_cell_backward", CRITICAL, "i", "i i 7p"),
    SGD("nas_sgd_step", CRITICAL, "v", "l f f i f p p p"),
    ADAM("nas_adam_step", CRITICAL, "v", "l 5f i 4p");

    /** How the JVM enters the call: critical skips the thread-state transition. */
    enum Call { CRITICAL, PLAIN }

    final String symbol;
    final Call call;
    final FunctionDescriptor descriptor;

    NativeFunction(String symbol, Call call, String returns, String parameters) {
        this.symbol = symbol;
        this.call = call;
        MemoryLayout[] args = expand(parameters).stream().map(NativeFunction::layout).toArray(MemoryLayout[]::new);
        this.descriptor = returns.equals("v") ? FunctionDescriptor.ofVoid(args) : FunctionDescriptor.of(layout(returns), args);
    }

    /** The downcall handle, from the loaded library: call only once {@link NativeLibrary#available()} said yes. */
    MethodHandle downcall() {
        MemorySegment address = NativeLibrary.lookup().find(symbol)
                .orElseThrow(() -> new IllegalStateException("native symbol " + symbol + " missing from "
                        + NativeLibrary.source()));
        Linker linker = Linker.nativeLinker();
        return call == Call.CRITICAL ? linker.downcallHandle(address, descriptor, Linker.Option.critical(false))
                : linker.downcallHandle(address, descriptor);
    }

    /** "5i f" -> [i, i, i, i, i, f]. */
    private static List<String> expand(String parameters) {
        List<String> out = new ArrayList<>();
        for (String token : parameters.trim().split("\\s+")) {
            if (token.isEmpty()) continue;
            String letter = token.substring(token.length() - 1);
            int count = token.length() == 1 ? 1 : Integer.parseInt(token.substring(0, token.length() - 1));
            for (int k = 0; k < count; k++) out.add(letter);
        }
        return out;
    }

    private static MemoryLayout layout(String letter) {
        return switch (letter) {
            case "i" -> JAVA_INT;
            case "l" -> JAVA_LONG;
            case "f" -> JAVA_FLOAT;
            case "p" -> ADDRESS;
            default -> throw new IllegalArgumentException("signature letter '" + letter + "' is not one of i, l, f, p");
        };
    }
}
