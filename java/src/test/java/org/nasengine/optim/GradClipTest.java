package org.nasengine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.tensor.Tensor;

class GradClipTest {
    private final JavaBackend be = new JavaBackend();
    private final Tensor a = Tensor.parameter(be, new float[2], 2), b = Tensor.parameter(be, new float[1], 1);
    private final Tensor noGrad = Tensor.parameter(be, new float[3], 3);

    @AfterEach
    void close() {
        a.close();
        b.close();
        noGrad.close();
        be.close();
    }

    @Test
    void clipsTheGlobalNormAndKeepsTheDirection() {
        // gradients (3, 4) and (12): global norm 13
        be.write(new float[] {3f, 4f}, a.grad(), 0);
        be.write(new float[] {12f}, b.grad(), 0);
        List<Tensor> ps = List.of(a, b, noGrad);
        assertEquals(13.0, GradClip.clipByGlobalNorm(ps, 1.0), 1e-9);
        assertEquals(1.0, GradClip.globalNorm(ps), 1e-6);
        assertArrayEquals(new float[] {3f / 13, 4f / 13}, a.gradToArray(), 1e-6f);
        assertArrayEquals(new float[] {12f / 13}, b.gradToArray(), 1e-6f);
    }

    @Test
    void leavesSmallGradientsAlone() {
        be.write(new float[] {0.3f, 0.4f}, a.grad(), 0);
        assertEquals(0.5, GradClip.clipByGlobalNorm(List.of(a, b), 1.0), 1e-6);
        assertArrayEquals(new float[] {0.3f, 0.4f}, a.gradToArray(), 0f);
    }

    @Test
    void rejectsANonPositiveBound() {
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipByGlobalNorm(List.of(a), 0));
    }
}
