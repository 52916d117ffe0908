package org.nasengine.backend.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.nasengine.backend.JoinGeometry;

/**
 * The zero-pad join on the device (kernels/join.cu): one launch per run of up to
 * {@link CudaStructs#JOIN_MAX} inputs, the inputs' addresses and windows passed by value, so a
 * join of any fan-in needs no table in device memory and no copy from the host.
 */
final class CudaJoin {
    private CudaJoin() {}

    /** out = each input in its window of its channel slice, zeros elsewhere (every element written). */
    static void forward(DeviceApi device, JoinGeometry j, CudaBuffer[] inputs, CudaBuffer out) {
        long plane = (long) j.outH() * j.outW();
        for (int first = 0; first < j.inputs(); first += CudaStructs.JOIN_MAX) {
            int count = Math.min(CudaStructs.JOIN_MAX, j.inputs() - first);
            int[] which = new int[count];
            long[] addresses = new long[count];
            int channels = 0;
            for (int k = 0; k < count; k++) {
                which[k] = first + k;
                addresses[k] = inputs[first + k].ptr.address();
                channels += j.channels()[first + k];
            }
            byte[] args = CudaStructs.join(j, which, addresses, count, j.channelOffset(first), channels);
            device.launch1d(Kernel.PAD_CONCAT_FWD, j.n() * channels * plane, args, out);
        }
    }

    /** dInputs[k] += its window of dOut, for the inputs whose gradient is wanted (non-null). */
    static void backward(DeviceApi device, JoinGeometry j, CudaBuffer dOut, CudaBuffer[] dInputs) {
        int[] wanted = IntStream.range(0, j.inputs()).filter(k -> dInputs[k] != null).toArray();
        long[] first = new long[wanted.length], end = new long[wanted.length];
        for (int i = 0; i < wanted.length; i++) {
            first[i] = dInputs[wanted[i]].ptr.address();
            end[i] = first[i] + j.inputLength(wanted[i]) * Float.BYTES;
        }
        for (int[] launch : launches(first, end)) {
            int[] which = new int[launch.length];
            long[] addresses = new long[launch.length];
            long total = 0;
            for (int k = 0; k < launch.length; k++) {
                which[k] = wanted[launch[k]];
                addresses[k] = first[launch[k]];
                total += j.inputLength(which[k]);
            }
            byte[] args = CudaStructs.join(j, which, addresses, launch.length, 0, 0);
            device.launch1d(Kernel.PAD_CONCAT_BWD, total, args, dOut);
        }
    }

    /**
     * The gradients [first[i], end[i]) (byte addresses) grouped into launches, in order: at most
     * JOIN_MAX each, and no two overlapping ranges in one launch. The kernel's {@code din[e] +=} is
     * a plain read-modify-write, so two entries of one launch on the same memory (a NASNet block
     * with the same input on both sides through identity ops) would race and lose sums; the next
     * launch on the stream sees the previous one's. Returns indices into first/end.
     */
    static List<int[]> launches(long[] first, long[] end) {
        List<int[]> out = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < first.length; i++) {
            boolean clash = current.size() == CudaStructs.JOIN_MAX;
            for (int k : current) clash |= first[i] < end[k] && first[k] < end[i];
            if (clash) {
                out.add(current.stream().mapToInt(Integer::intValue).toArray());
                current.clear();
            }
            current.add(i);
        }
        if (!current.isEmpty()) out.add(current.stream().mapToInt(Integer::intValue).toArray());
        return out;
    }

    static String describe(JoinGeometry j) {
        return "n=" + j.n() + " channels=" + Arrays.toString(j.channels()) + " heights=" + Arrays.toString(j.heights())
                + " widths=" + Arrays.toString(j.widths()) + " out=" + j.outH() + "x" + j.outW();
    }
}
