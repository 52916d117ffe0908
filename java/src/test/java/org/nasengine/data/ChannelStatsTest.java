package org.nasengine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChannelStatsTest {

    @Test
    void statisticsAndNormalisationByHand() {
        // 2 images, 2 channels, 1x2: channel 0 holds 0, 255, 0, 255; channel 1 is constant 51
        byte[] px = {0, (byte) 255, 51, 51, 0, (byte) 255, 51, 51};
        RawImages raw = new RawImages(px, new int[] {0, 1}, 2, 1, 2, 2);
        ChannelStats s = ChannelStats.of(raw);
        assertEquals(0.5f, s.mean()[0], 1e-7);
        assertEquals(0.5f, s.std()[0], 1e-7);
        assertEquals(0.2f, s.mean()[1], 1e-7);
        assertEquals(1f, s.std()[1], "a constant channel keeps its scale");
        float[] out = s.normalise(raw);
        assertArrayEquals(new float[] {-1, 1, 0, 0, -1, 1, 0, 0}, out, 1e-6f);
    }
}
