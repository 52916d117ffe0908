package org.nasengine.backend.cuda;

import java.util.Arrays;
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
        int[] wanted = java.util.stream.IntStream.range(0, j.inputs()).filter(k -> dInputs[k] != null).toArray();
        for (int first = 0; first < wanted.length; first += CudaStructs.JOIN_MAX) {
            int count = Math.min(CudaStructs.JOIN_MAX, wanted.length - first);
            int[] which = Arrays.copyOfRange(wanted, first, first + count);
            long[] addresses = new long[count];
            long total = 0;
            for (int k = 0; k < count; k++) {
                addresses[k] = dInputs[which[k]].ptr.address();
                total += j.inputLength(which[k]);
            }
            byte[] args = CudaStructs.join(j, which, addresses, count, 0, 0);
            device.launch1d(Kernel.PAD_CONCAT_BWD, total, args, dOut);
        }
    }

    static String describe(JoinGeometry j) {
        return "n=" + j.n() + " channels=" + Arrays.toString(j.channels()) + " heights=" + Arrays.toString(j.heights())
                + " widths=" + Arrays.toString(j.widths()) + " out=" + j.outH() + "x" + j.outW();
    }
}
