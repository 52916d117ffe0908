package org.nasengine.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.JoinGeometry;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * A child's weight cut out of a larger shared one (weight sharing by slicing, as in ENAS' macro
 * search with our variable kernels and filter counts). The shared weight is seen as
 * (R, C, KH, KW); the slice keeps the first {@code rows} of R, the channel ranges
 * [start_i, start_i + length_i) of C in order (concatenated), and the centred kh x kw window of
 * KH x KW (kh, kw of KH's and KW's parity, so a 3x3 kernel is the middle of a 7x7 one).
 *
 * <p>Composed from the join primitives: the spec's join already centres a small map in a large one,
 * so the master's first {@code rows} rows are the "joined output" of the kept ranges (kh x kw
 * each) and of filler pieces between them; the join's backward cuts the ranges out (fillers are
 * not wanted), a plain channel concat puts them side by side. Backward runs the same way back:
 * split, join with zero fillers, add into the master's gradient (+=).
 */
public final class Slices {
    private Slices() {}

    /**
     * @param master   the shared weight, of R*C*KH*KW values
     * @param view     (R, C, KH, KW), how master is read
     * @param starts   first channel of each kept range, ascending, ranges disjoint
     * @param lengths  channels of each kept range
     * @param outShape the slice's shape, of rows * sum(lengths) * kh * kw values
     */
    public static Tensor gather(Tensor master, int[] view, int rows, int[] starts, int[] lengths, int kh, int kw, int... outShape) {
        Geometry g = Geometry.of(master, view, rows, starts, lengths, kh, kw, outShape);
        Backend be = master.backend();
        boolean rec = Tape.recording(master);
        Buffer[] pieces = new Buffer[g.master.inputs()];             // the kept ranges, each (rows, length_i, kh, kw)
        for (int i : g.kept) pieces[i] = be.allocate(g.master.inputLength(i));
        be.padConcatBackward(g.master, master.data(), pieces);       // += into zeros: a copy of each window
        Tensor out = Tensor.output(be, rec, outShape);
        Buffer[] kept = new Buffer[g.kept.length];
        for (int k = 0; k < kept.length; k++) kept[k] = pieces[g.kept[k]];
        be.padConcat(g.child, kept, out.data());
        for (Buffer b : kept) be.release(b);
        if (rec) Tape.current().record(() -> {
            Buffer dOut = out.gradOrNull();
            if (dOut == null) return;
            Buffer[] dKept = new Buffer[kept.length];
            for (int k = 0; k < kept.length; k++) dKept[k] = be.allocate(g.child.inputLength(k));
            be.padConcatBackward(g.child, dOut, dKept);
            long fill = 0;                                           // the largest filler: one zero buffer serves them all
            for (int i = 0; i < g.master.inputs(); i++) if (pieces[i] == null) fill = Math.max(fill, g.master.inputLength(i));
            Buffer zeros = fill > 0 ? be.allocate(fill) : null;
            Buffer[] all = new Buffer[g.master.inputs()];
            for (int i = 0; i < all.length; i++) all[i] = zeros;
            for (int k = 0; k < dKept.length; k++) all[g.kept[k]] = dKept[k];
            Buffer full = be.allocate(g.master.outputLength());      // (rows, C, KH, KW): the master's first rows
            be.padConcat(g.master, all, full);
            be.sumInto(Broadcast.same(new int[] {Math.toIntExact(g.master.outputLength())}), full, master.grad());
            be.release(full);
            if (zeros != null) be.release(zeros);
            for (Buffer b : dKept) be.release(b);
        });
        return out;
    }

    /** The join over the master's first rows (kept ranges and fillers) and the concat of the kept ones. */
    private record Geometry(JoinGeometry master, JoinGeometry child, int[] kept) {
        static Geometry of(Tensor m, int[] view, int rows, int[] starts, int[] lengths, int kh, int kw, int[] outShape) {
            String what = "slice of " + Arrays.toString(m.shape()) + " seen as " + Arrays.toString(view);
            if (view.length != 4 || (long) view[0] * view[1] * view[2] * view[3] != m.size())
                throw new IllegalArgumentException(what + ": the view must be (R, C, KH, KW) of the master's " + m.size() + " values");
            int r = view[0], c = view[1], bigH = view[2], bigW = view[3];
            if (rows < 1 || rows > r || starts.length == 0 || starts.length != lengths.length || kh < 1 || kh > bigH || kw < 1
                    || kw > bigW || (bigH - kh) % 2 != 0 || (bigW - kw) % 2 != 0)
                throw new IllegalArgumentException(what + ": rows " + rows + ", ranges " + Arrays.toString(starts) + "/"
                        + Arrays.toString(lengths) + ", window " + kh + "x" + kw + " do not fit (a window must be centred)");
            List<int[]> pieces = new ArrayList<>(); // (channels, h, w, kept index or -1)
            int at = 0, total = 0;
            int[] kept = new int[starts.length];
            for (int i = 0; i < starts.length; i++) {
                if (starts[i] < at || lengths[i] < 1 || starts[i] + lengths[i] > c)
                    throw new IllegalArgumentException(what + ": channel range " + i + " [" + starts[i] + ", " + (starts[i] + lengths[i])
                            + ") must lie in [" + at + ", " + c + ") after the previous one");
                if (starts[i] > at) pieces.add(new int[] {starts[i] - at, 1, 1});
                kept[i] = pieces.size();
                pieces.add(new int[] {lengths[i], kh, kw});
                at = starts[i] + lengths[i];
                total += lengths[i];
            }
            if (at < c) pieces.add(new int[] {c - at, 1, 1});
            if ((long) rows * total * kh * kw != Arrays.stream(outShape).asLongStream().reduce(1, (a, b) -> a * b))
                throw new IllegalArgumentException(what + ": output shape " + Arrays.toString(outShape) + " must hold " + rows + "x" + total
                        + "x" + kh + "x" + kw + " values");
            int[] ch = pieces.stream().mapToInt(p -> p[0]).toArray(), hh = pieces.stream().mapToInt(p -> p[1]).toArray(),
                    ww = pieces.stream().mapToInt(p -> p[2]).toArray();
            int[] kh1 = new int[lengths.length], kw1 = new int[lengths.length];
            Arrays.fill(kh1, kh);
            Arrays.fill(kw1, kw);
            return new Geometry(new JoinGeometry(rows, ch, hh, ww, bigH, bigW), new JoinGeometry(rows, lengths.clone(), kh1, kw1, kh, kw),
                    kept);
        }
    }
}
