package org.nasengine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.BatchNormSpec;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.JoinGeometry;
import org.nasengine.backend.PoolGeometry;

/** The byte images of the kernel argument structs, field by field at the C layout's offsets. */
class CudaStructsTest {
    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void joinLaysOutPointersPrefixSumsAndWindows() {
        // inputs (2, c, h, w): (3, 4, 4), (5, 2, 3), (1, 4, 2); out 4x4
        JoinGeometry j = JoinGeometry.of(2, new int[] {3, 5, 1}, new int[] {4, 2, 4}, new int[] {4, 3, 2});
        byte[] raw = CudaStructs.join(j, new int[] {0, 1, 2}, new long[] {0x1000, 0x2000, 0x3000}, 3, 0, 9);
        assertEquals(CudaStructs.JOIN_BYTES, raw.length);
        ByteBuffer b = le(raw);
        assertEquals(0x2000, b.getLong(8), "data[1]");
        assertEquals(0, b.getLong(8 * 3), "data[3] unused");
        long len0 = 2 * 3 * 16, len1 = 2 * 5 * 6, len2 = 2 * 4 * 2;
        assertEquals(0, b.getLong(128), "start[0]");
        assertEquals(len0, b.getLong(128 + 8), "start[1]");
        assertEquals(len0 + len1 + len2, b.getLong(128 + 8 * 3), "start[3] = total");
        assertEquals(len0 + len1 + len2, b.getLong(128 + 8 * 16), "start[16] stays at the total");
        assertEquals(1, b.getInt(264 + 4 * 2), "channels[2]");
        assertEquals(2, b.getInt(328 + 4), "heights[1]");
        assertEquals(2, b.getInt(392 + 4 * 2), "widths[2]");
        assertEquals(8, b.getInt(456 + 4 * 2), "chanOffset[2]");
        int[] tail = {3, 2, 9, 4, 4, 0, 9};   // count, n, outC, outH, outW, cBase, cCount
        for (int i = 0; i < tail.length; i++) assertEquals(tail[i], b.getInt(520 + 4 * i), "tail field " + i);
    }

    @Test
    void joinOfASubsetUsesEachInputsOwnChannelOffset() {
        JoinGeometry j = JoinGeometry.of(1, new int[] {2, 3, 4}, new int[] {2, 2, 2}, new int[] {2, 2, 2});
        ByteBuffer b = le(CudaStructs.join(j, new int[] {2}, new long[] {0x40}, 1, 0, 0));
        assertEquals(4, b.getInt(264), "channels of input 2");
        assertEquals(5, b.getInt(456), "input 2 starts at output channel 5");
        assertEquals(4 * 4, b.getLong(128 + 8), "its length");
    }

    @Test
    void joinRejectsMoreInputsThanOneLaunchHolds() {
        int k = CudaStructs.JOIN_MAX + 1;
        int[] ones = new int[k];
        java.util.Arrays.fill(ones, 1);
        JoinGeometry j = JoinGeometry.of(1, ones, ones, ones);
        assertThrows(IllegalArgumentException.class,
                () -> CudaStructs.join(j, new int[k], new long[k], k, 0, k));
    }

    @Test
    void convPoolBatchNormAndBroadcastInDeclarationOrder() {
        ConvGeometry g = new ConvGeometry(2, 6, 9, 8, 4, 3, 5, 2, 1, 1, 2, 1, 2, 2);
        ByteBuffer c = le(CudaStructs.conv(g));
        int[] conv = {2, 6, 9, 8, 4, 3, 5, 2, 1, 1, 2, 1, 2, 2, g.outH(), g.outW()};
        for (int i = 0; i < conv.length; i++) assertEquals(conv[i], c.getInt(4 * i), "conv field " + i);

        PoolGeometry p = PoolGeometry.same(PoolGeometry.Kind.MAX, 2, 3, 7, 7, 3, 2);
        ByteBuffer pb = le(CudaStructs.pool(p));
        int[] pool = {2, 3, 7, 7, 3, 3, 2, 1, 1, p.outH(), p.outW()};
        for (int i = 0; i < pool.length; i++) assertEquals(pool[i], pb.getInt(4 * i), "pool field " + i);

        ByteBuffer bn = le(CudaStructs.batchNorm(new BatchNormSpec(4, 3, 25, 1e-5f, 0.1f, true)));
        assertEquals(25, bn.getInt(8));
        assertEquals(1e-5f, bn.getFloat(12));
        assertEquals(0.1f, bn.getFloat(16));

        ByteBuffer bc = le(CudaStructs.broadcast(Broadcast.of(new int[] {2, 3, 4}, new int[] {3, 1})));
        assertEquals(4, bc.getInt(12), "shape[3]");
        assertEquals(12, bc.getInt(16 + 4), "a stride of dimension 1");
        assertEquals(0, bc.getInt(32 + 12), "b broadcasts the last dimension");
    }

    @Test
    void gemmPutsStridesAtOffsetForty() {
        DevicePtr p = new DevicePtr();
        GemmCall call = new GemmCall(true, false, 5, 6, 7, 2f, 0.5f, 3, p, 5, 35, p, 6, 0, p, 6, 30);
        ByteBuffer b = le(CudaStructs.gemm(call));
        int[] ints = {5, 6, 7, 5, 6, 6, 1, 0};
        for (int i = 0; i < ints.length; i++) assertEquals(ints[i], b.getInt(4 * i), "gemm int field " + i);
        assertEquals(2f, b.getFloat(32));
        assertEquals(0.5f, b.getFloat(36));
        assertEquals(35, b.getLong(40));
        assertEquals(0, b.getLong(48));
        assertEquals(30, b.getLong(56));
    }
}
