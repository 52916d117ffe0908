package org.nasengine.backend.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nasengine.backend.ref.RefFixture.get;

import org.junit.jupiter.api.Test;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.PoolStats;

class JavaBackendMemoryTest {
    private final JavaBackend be = new JavaBackend();

    @Test
    void allocateIsZeroFilledEvenWhenReused() {
        Buffer a = be.allocate(5);
        be.write(new float[] {1, 2, 3, 4, 5}, a, 0);
        be.release(a);
        Buffer b = be.allocate(5);
        assertArrayEquals(new double[5], get(be, b, 5));
        assertTrue(b.length() >= 5, "capacity " + b.length() + " below the requested 5");
    }

    @Test
    void repeatedAllocateReleaseCycleMakesNoFreshAllocation() {
        int[] sizes = {3, 100, 1000, 17};
        for (int s : sizes) be.release(be.allocate(s));
        PoolStats before = be.poolStats();
        for (int step = 0; step < 10; step++) {
            Buffer[] held = new Buffer[sizes.length];
            for (int i = 0; i < sizes.length; i++) held[i] = be.allocate(sizes[i]);
            for (Buffer b : held) be.release(b);
        }
        PoolStats after = be.poolStats();
        assertEquals(before.freshAllocations(), after.freshAllocations(), "fresh allocations in steady state");
        assertEquals(before.reuses() + 10 * sizes.length, after.reuses());
    }

    @Test
    void floatAndIntIoRoundTripsWithOffsets() {
        Buffer b = be.allocate(6);
        be.write(new float[] {1.5f, -2.25f}, b, 1);
        be.writeInts(new int[] {7, -3}, b, 4);
        float[] out = new float[6];
        be.read(b, 0, out);
        assertArrayEquals(new float[] {0, 1.5f, -2.25f, 0, 7, -3}, out);
        float[] tail = new float[2];
        be.read(b, 1, tail);
        assertArrayEquals(new float[] {1.5f, -2.25f}, tail);
    }

    @Test
    void doubleIoKeepsFullPrecisionAndFloatReadNarrows() {
        Buffer b = be.allocate(1);
        double third = 1.0 / 3.0;
        be.writeDoubles(new double[] {third}, b, 0);
        double[] d = new double[1];
        be.readDoubles(b, 0, d);
        assertEquals(third, d[0], 0.0);
        float[] f = new float[1];
        be.read(b, 0, f);
        assertEquals((float) third, f[0], 0f);
    }

    @Test
    void fillAndOverlappingCopy() {
        Buffer b = RefFixture.buf(be, 1, 2, 3, 4, 5, 6);
        be.fill(b, 4, 2, 9f);
        assertArrayEquals(new double[] {1, 2, 3, 4, 9, 9}, get(be, b, 6));
        be.copy(b, 0, b, 1, 4);   // overlapping ranges behave like memmove
        assertArrayEquals(new double[] {1, 1, 2, 3, 4, 9}, get(be, b, 6));
        Buffer c = be.allocate(3);
        be.copy(b, 3, c, 0, 3);
        assertArrayEquals(new double[] {3, 4, 9}, get(be, c, 3));
    }

    @Test
    void outOfRangeAccessNamesOpRoleAndSizes() {
        Buffer b = be.allocate(4);
        long cap = b.length();
        var e = assertThrows(IllegalArgumentException.class, () -> be.write(new float[(int) cap], b, 1));
        assertTrue(e.getMessage().contains("write") && e.getMessage().contains("dst")
                && e.getMessage().contains(String.valueOf(cap + 1)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> be.read(b, -1, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> be.fill(b, cap - 1, 2, 0f));
    }

    @Test
    void useAfterReleaseAndDoubleReleaseFail() {
        Buffer b = be.allocate(4);
        be.release(b);
        var e = assertThrows(IllegalStateException.class, () -> be.fill(b, 0, 1, 1f));
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> be.release(b));
    }

    @Test
    void foreignBufferIsRejected() {
        Buffer foreign = () -> 8;
        var e = assertThrows(IllegalArgumentException.class, () -> be.scale(1, 2f, foreign));
        assertTrue(e.getMessage().contains("scale") && e.getMessage().contains("not a buffer of the java backend"),
                e.getMessage());
    }

    @Test
    void closeDrainsThePoolAndRefusesNewBuffers() {
        be.release(be.allocate(10));
        assertTrue(be.poolStats().bytesHeld() > 0);
        be.close();
        assertEquals(0, be.poolStats().bytesHeld());
        assertThrows(IllegalStateException.class, () -> be.allocate(1));
    }
}
