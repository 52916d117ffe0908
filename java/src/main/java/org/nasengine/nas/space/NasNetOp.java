package org.nasengine.nas.space;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The operations a NASNet block may apply to a hidden state, with their JSON names. Every
 * convolution is ReLU, its convolutions (no bias), then batch normalization; {@link #kernel} is the
 * k of its kxk (or 1xk/kx1) window, for pooling the window.
 */
public enum NasNetOp {
    IDENTITY("identity", Kind.IDENTITY, 1),
    CONV_1X3_3X1("conv_1x3_3x1", Kind.FACTORIZED_CONV, 3),
    CONV_1X7_7X1("conv_1x7_7x1", Kind.FACTORIZED_CONV, 7),
    DIL_CONV_3X3("dil_conv_3x3", Kind.DILATED_CONV, 3),
    AVG_POOL_3X3("avg_pool_3x3", Kind.AVG_POOL, 3),
    MAX_POOL_3X3("max_pool_3x3", Kind.MAX_POOL, 3),
    MAX_POOL_5X5("max_pool_5x5", Kind.MAX_POOL, 5),
    MAX_POOL_7X7("max_pool_7x7", Kind.MAX_POOL, 7),
    CONV_1X1("conv_1x1", Kind.CONV, 1),
    CONV_3X3("conv_3x3", Kind.CONV, 3),
    SEP_CONV_3X3("sep_conv_3x3", Kind.SEP_CONV, 3),
    SEP_CONV_5X5("sep_conv_5x5", Kind.SEP_CONV, 5),
    SEP_CONV_7X7("sep_conv_7x7", Kind.SEP_CONV, 7);

    /**
     * IDENTITY; CONV one kxk convolution; FACTORIZED_CONV 1xk then kx1; DILATED_CONV kxk with
     * dilation 2; SEP_CONV (depthwise kxk, pointwise 1x1, BN) twice; pooling same-padded.
     */
    public enum Kind { IDENTITY, CONV, FACTORIZED_CONV, DILATED_CONV, SEP_CONV, AVG_POOL, MAX_POOL }

    private final String jsonName;
    private final Kind kind;
    private final int kernel;

    NasNetOp(String jsonName, Kind kind, int kernel) {
        this.jsonName = jsonName;
        this.kind = kind;
        this.kernel = kernel;
    }

    public String jsonName() {
        return jsonName;
    }

    public Kind kind() {
        return kind;
    }

    public int kernel() {
        return kernel;
    }

    public boolean isPooling() {
        return kind == Kind.AVG_POOL || kind == Kind.MAX_POOL;
    }

    /** Convolutions map any input width to the stage's F; identity and pooling keep the width. */
    public boolean isConvolution() {
        return kind != Kind.IDENTITY && !isPooling();
    }

    /** The operation with this JSON name, or null. */
    public static NasNetOp fromJson(String name) {
        for (NasNetOp op : values()) if (op.jsonName.equals(name)) return op;
        return null;
    }

    /** The JSON names in spec order, for error messages. */
    public static String jsonNames() {
        return Arrays.stream(values()).map(NasNetOp::jsonName).collect(Collectors.joining(", "));
    }
}
