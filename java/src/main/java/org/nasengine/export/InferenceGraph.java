package org.nasengine.export;

import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.nasengine.backend.PoolGeometry;

/**
 * The evaluation-mode forward pass of an image network as straight-line operations over named
 * values: what both exporters (ONNX, PyTorch) write, so that they cannot disagree on the network.
 * {@link ImageGraphs} builds it by walking a built network. The input is {@code images}, float32
 * (N, C, H, W) with pixel values in [0, 1]; the first operation normalises it as the network was
 * trained. Every value's shape is static but for N: (C, H, W) maps, or (F) features when h = w = 0.
 * Weights are referred to by their safetensors names and held in {@link #tensors()}.
 */
public record InferenceGraph(Value input, Value output, List<Op> ops, SequencedMap<String, Safetensors.Entry> tensors) {

    /** A named value: (N, c, h, w), or (N, c) when h and w are 0. */
    public record Value(String name, int c, int h, int w) {
        public boolean isMap() {
            return h > 0;
        }
    }

    public sealed interface Op {
        Value out();
    }

    /** (x - mean[c]) / std[c], mean and std (C) named tensors. */
    public record Normalize(Value in, Value out, String mean, String std) implements Op {}

    /** Convolution without bias, symmetric zero padding padH/padW, weight (Cout, Cin/groups, KH, KW). */
    public record Conv(Value in, Value out, String weight, int kh, int kw, int stride, int padH, int padW, int dilation, int groups)
            implements Op {}

    /** Evaluation-mode batch norm: {@code prefix.weight}, {@code .bias}, {@code .running_mean}, {@code .running_var}. */
    public record BatchNorm(Value in, Value out, String prefix, float eps) implements Op {}

    public record Relu(Value in, Value out) implements Op {}

    public record Add(Value a, Value b, Value out) implements Op {}

    /** Zero padding of the spatial sides. */
    public record Pad(Value in, Value out, int top, int bottom, int left, int right) implements Op {}

    /** Channel concatenation of maps of equal size. */
    public record Concat(List<Value> in, Value out) implements Op {}

    /** Max or average pooling, symmetric padding; the average does not count padded positions. */
    public record Pool(Value in, Value out, PoolGeometry.Kind kind, int kernel, int stride, int padH, int padW) implements Op {}

    /** (N, C, H, W) -> (N, C): the mean of each map. */
    public record GlobalAvgPool(Value in, Value out) implements Op {}

    /** y = x W^T + b with {@code prefix.weight} (out, in) and {@code prefix.bias} (out). */
    public record Linear(Value in, Value out, String prefix) implements Op {}

    /** Zeros of the input's shape (an NAS-Bench-201 node whose edges are all none). */
    public record Zeros(Value like, Value out) implements Op {}

    /** The entry of a named weight; fails loudly on a name the graph does not hold. */
    public Safetensors.Entry tensor(String name) {
        Safetensors.Entry e = tensors.get(name);
        if (e == null) throw new IllegalStateException("inference graph: no tensor named " + name);
        return e;
    }

    /** The values every op reads, for emitters that need them. */
    public static List<Value> inputs(Op op) {
        return switch (op) {
            case Normalize n -> List.of(n.in());
            case Conv c -> List.of(c.in());
            case BatchNorm b -> List.of(b.in());
            case Relu r -> List.of(r.in());
            case Add a -> List.of(a.a(), a.b());
            case Pad p -> List.of(p.in());
            case Concat c -> c.in();
            case Pool p -> List.of(p.in());
            case GlobalAvgPool g -> List.of(g.in());
            case Linear l -> List.of(l.in());
            case Zeros z -> List.of(z.like());
        };
    }

    /** Number of operations of each kind, e.g. for a summary line. */
    public Map<String, Long> opCounts() {
        return ops.stream().collect(java.util.stream.Collectors.groupingBy(o -> o.getClass().getSimpleName(),
                java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }
}
