package org.nasengine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CropFlipTest {
    // one channel 3x3:  1 2 3 / 4 5 6 / 7 8 9
    private static float[] image() {
        return new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9};
    }

    @Test
    void windowsAndFlipsByHand() {
        CropFlip aug = new CropFlip(1, 0);
        float[] x = image();
        aug.transform(x, 0, 1, 3, 3, 0, 0, false);
        assertArrayEquals(image(), x, "no shift, no flip");

        x = image();
        aug.transform(x, 0, 1, 3, 3, 0, 0, true);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7}, x, "flip");

        x = image();
        aug.transform(x, 0, 1, 3, 3, -1, 1, false); // window one row up, one column right
        assertArrayEquals(new float[] {0, 0, 0, 2, 3, 0, 5, 6, 0}, x, "shift");

        x = image();
        aug.transform(x, 0, 1, 3, 3, 1, 1, true); // the window one down, one right (5 6 _ / 8 9 _ / _ _ _), flipped
        assertArrayEquals(new float[] {0, 6, 5, 0, 9, 8, 0, 0, 0}, x, "shift and flip");
    }

    @Test
    void seededCropsKeepPixelsOrPadWithZero() {
        int n = 64, c = 3, h = 8, w = 8;
        float[] images = new float[n * c * h * w];
        for (int i = 0; i < images.length; i++) images[i] = 1 + i;
        float[] a = images.clone(), b = images.clone();
        CropFlip.cifar(11).apply(a, n, c, h, w);
        CropFlip.cifar(11).apply(b, n, c, h, w);
        assertArrayEquals(a, b, "same seed, same crops");

        Set<Float> original = new HashSet<>();
        for (float v : images) original.add(v);
        int zeros = 0, moved = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == 0) zeros++;
            else assertTrue(original.contains(a[i]), "value " + a[i] + " at " + i + " came from nowhere");
            if (a[i] != images[i]) moved++;
            if (a[i] != 0) {
                int from = (int) a[i] - 1; // values never cross images or channels
                assertEquals(i / (h * w), from / (h * w), "pixel " + i + " crossed a channel or image");
            }
        }
        assertTrue(zeros > 0 && moved > a.length / 2, "zeros " + zeros + ", moved " + moved);

        float[] only = images.clone();
        CropFlip.cifar(11).apply(only, 1, c, h, w);
        for (int i = c * h * w; i < only.length; i++) assertEquals(images[i], only[i], "image past count touched at " + i);
    }
}
