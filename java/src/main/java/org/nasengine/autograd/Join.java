package org.nasengine.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.JoinGeometry;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * Concatenation and its inverse. The spec's join (zero-pad every input to the largest height and
 * width, odd row or column at the bottom or right, then concatenate along channels) is computed
 * here and only here: {@link #geometry} turns input shapes into the {@link JoinGeometry} that both
 * shape inference and {@link #padConcat} use.
 */
public final class Join {
    private Join() {}

    /** The join of inputs of these shapes, each (N, C_i, H_i, W_i) with the same N. */
    public static JoinGeometry geometry(List<int[]> shapes) {
        if (shapes.isEmpty()) throw new IllegalArgumentException("join: needs at least one input");
        int k = shapes.size(), n = shapes.getFirst().length == 4 ? shapes.getFirst()[0] : -1;
        int[] c = new int[k], h = new int[k], w = new int[k];
        for (int i = 0; i < k; i++) {
            int[] s = shapes.get(i);
            if (s.length != 4 || s[0] != n)
                throw new IllegalArgumentException("join: input " + i + " has shape " + Arrays.toString(s)
                        + "; every input must be (N, C, H, W) with N = " + n);
            c[i] = s[1];
            h[i] = s[2];
            w[i] = s[3];
        }
        return JoinGeometry.of(n, c, h, w);
    }

    /** The shape {@link #padConcat} gives for inputs of these shapes: (N, sum C_i, max H_i, max W_i). */
    public static int[] outputShape(List<int[]> shapes) {
        JoinGeometry j = geometry(shapes);
        return new int[] {j.n(), j.outChannels(), j.outH(), j.outW()};
    }

    /** The spec's zero-pad join. A single input is returned as it is (no copy). */
    public static Tensor padConcat(List<Tensor> inputs) {
        if (inputs.size() == 1) return inputs.getFirst();
        JoinGeometry j = geometry(inputs.stream().map(Tensor::shape).toList());
        return apply(j, inputs, new int[] {j.n(), j.outChannels(), j.outH(), j.outW()});
    }

    /** Channel concat of inputs that already share N, H and W (the NASNet {@code concat} combine). */
    public static Tensor concatChannels(List<Tensor> inputs) {
        JoinGeometry j = geometry(inputs.stream().map(Tensor::shape).toList());
        for (int i = 0; i < inputs.size(); i++) {
            if (j.heights()[i] != j.outH() || j.widths()[i] != j.outW())
                throw new IllegalArgumentException("concatChannels: input " + i + " is " + j.heights()[i] + "x"
                        + j.widths()[i] + ", others reach " + j.outH() + "x" + j.outW() + "; use padConcat to pad");
        }
        if (inputs.size() == 1) return inputs.getFirst();
        return apply(j, inputs, new int[] {j.n(), j.outChannels(), j.outH(), j.outW()});
    }

    /** (N, F_i) inputs -> (N, sum F_i): the channel concat of (N, F_i, 1, 1) maps. */
    public static Tensor concatFeatures(List<Tensor> inputs) {
        if (inputs.isEmpty()) throw new IllegalArgumentException("concatFeatures: needs at least one input");
        int n = inputs.getFirst().dim(0), k = inputs.size();
        int[] f = new int[k], ones = new int[k];
        for (int i = 0; i < k; i++) {
            Tensor t = inputs.get(i);
            if (t.rank() != 2 || t.dim(0) != n)
                throw new IllegalArgumentException("concatFeatures: input " + i + " has shape " + Arrays.toString(t.shape())
                        + "; every input must be (N, F) with N = " + n);
            f[i] = t.dim(1);
            ones[i] = 1;
        }
        if (k == 1) return inputs.getFirst();
        JoinGeometry j = new JoinGeometry(n, f, ones, ones, 1, 1);
        return apply(j, inputs, new int[] {n, j.outChannels()});
    }

    /** Columns [from, to) of x (N, F) as a new (N, to - from) tensor. */
    public static Tensor columns(Tensor x, int from, int to) {
        Grads.requireRank("columns", "x (N, F)", x, 2);
        int n = x.dim(0), f = x.dim(1);
        if (from < 0 || to > f || from >= to)
            throw new IllegalArgumentException("columns: range [" + from + ", " + to + ") is not inside 0.." + f
                    + " of x " + Arrays.toString(x.shape()));
        // x seen as the join of up to three pieces: [0, from), [from, to), [to, f)
        List<Integer> widths = new ArrayList<>();
        if (from > 0) widths.add(from);
        int piece = widths.size();
        widths.add(to - from);
        if (to < f) widths.add(f - to);
        int[] w = widths.stream().mapToInt(Integer::intValue).toArray(), ones = new int[w.length];
        Arrays.fill(ones, 1);
        JoinGeometry j = new JoinGeometry(n, w, ones, ones, 1, 1);
        Backend be = x.backend();
        boolean rec = Tape.recording(x);
        Tensor y = Tensor.output(be, rec, n, to - from);
        Buffer[] parts = new Buffer[w.length];
        parts[piece] = y.data(); // zero-filled, so the backward's += is a copy
        be.padConcatBackward(j, x.data(), parts);
        if (rec) Tape.current().record(() -> {
            Buffer dy = y.gradOrNull();
            if (dy == null) return;
            Buffer[] pieces = new Buffer[w.length];
            for (int i = 0; i < w.length; i++) pieces[i] = i == piece ? dy : be.allocate((long) n * w[i]);
            Buffer full = be.allocate(x.size()); // (N, F)
            be.padConcat(j, pieces, full);
            Grads.accumulate(be, x.size(), full, x.grad());
            be.release(full);
            for (int i = 0; i < w.length; i++) if (i != piece) be.release(pieces[i]);
        });
        return y;
    }

    /**
     * x (N, parts*W) cut into {@code parts} tensors (N, W), columns [i*W, (i+1)*W) each: the per-step
     * blocks of a projection computed for every step at once. One op for all pieces, so that the
     * backward writes x's gradient once; slicing each piece with {@link #columns} would cost a pass
     * over the whole of x per piece.
     */
    public static List<Tensor> splitColumns(Tensor x, int parts) {
        Grads.requireRank("splitColumns", "x (N, F)", x, 2);
        int n = x.dim(0), f = x.dim(1);
        if (parts <= 0 || f % parts != 0)
            throw new IllegalArgumentException("splitColumns: " + f + " columns of x " + Arrays.toString(x.shape())
                    + " do not split into " + parts + " equal parts");
        if (parts == 1) return List.of(x);
        int w = f / parts;
        int[] widths = new int[parts], ones = new int[parts];
        Arrays.fill(widths, w);
        Arrays.fill(ones, 1);
        JoinGeometry j = new JoinGeometry(n, widths, ones, ones, 1, 1);
        Backend be = x.backend();
        boolean rec = Tape.recording(x);
        List<Tensor> out = new ArrayList<>(parts);
        Buffer[] data = new Buffer[parts];
        for (int i = 0; i < parts; i++) {
            out.add(Tensor.output(be, rec, n, w));
            data[i] = out.get(i).data(); // zero-filled, so the backward's += is a copy
        }
        be.padConcatBackward(j, x.data(), data);
        if (rec) Tape.current().record(() -> {
            if (out.stream().allMatch(t -> t.gradOrNull() == null)) return;
            Buffer[] dys = new Buffer[parts];
            boolean[] own = new boolean[parts];
            for (int i = 0; i < parts; i++) {
                dys[i] = out.get(i).gradOrNull();
                if (own[i] = dys[i] == null) dys[i] = be.allocate((long) n * w); // a piece nobody used: zero gradient
            }
            Buffer full = be.allocate(x.size()); // (N, F)
            be.padConcat(j, dys, full);
            Grads.accumulate(be, x.size(), full, x.grad());
            be.release(full);
            for (int i = 0; i < parts; i++) if (own[i]) be.release(dys[i]);
        });
        return out;
    }

    private static Tensor apply(JoinGeometry j, List<Tensor> inputs, int[] outShape) {
        Backend be = inputs.getFirst().backend();
        Buffer[] data = new Buffer[inputs.size()];
        for (int i = 0; i < data.length; i++) {
            Grads.requireSameBackend("join", inputs.getFirst(), inputs.get(i));
            Grads.requireFloat("join", "input " + i, inputs.get(i));
            data[i] = inputs.get(i).data();
        }
        Tensor[] in = inputs.toArray(Tensor[]::new);
        boolean rec = Tape.recording(in);
        Tensor y = Tensor.output(be, rec, outShape);
        be.padConcat(j, data, y.data());
        if (rec) Tape.current().record(() -> {
            Buffer dy = y.gradOrNull();
            if (dy == null) return;
            Buffer[] grads = new Buffer[in.length];
            for (int i = 0; i < in.length; i++) grads[i] = Grads.of(in[i]);
            be.padConcatBackward(j, dy, grads);
        });
        return y;
    }
}
