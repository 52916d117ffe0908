package org.nasengine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.AdamConfig;
import org.nasengine.backend.SgdConfig;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/** Optimizers on a quadratic bowl, exact first steps, and the bookkeeping around them. */
class OptimizerTest {
    private final JavaBackend be = new JavaBackend();
    private final Tensor target = Tensor.persistent(be, new float[] {1f, -2f, 0.5f, 3f}, 4);

    @AfterEach
    void close() {
        target.close();
        be.close();
    }

    /** L = sum((p - target)^2) with p starting at zero; returns the loss before each of the steps. */
    private float[] descend(Function<List<Tensor>, Optimizer> make, float lr, int steps) {
        Tensor p = Tensor.parameter(be, new float[4], 4);
        float[] losses = new float[steps + 1];
        try (Optimizer opt = make.apply(List.of(p))) {
            for (int s = 0; s <= steps; s++) {
                try (Scope scope = Scope.open()) {
                    opt.zeroGrad();
                    Tensor loss = p.sub(target).square().sum();
                    losses[s] = loss.item();
                    if (s == steps) break;
                    loss.backward();
                    opt.step(lr);
                }
            }
        }
        p.close();
        return losses;
    }

    private static void assertConverges(String name, float[] losses) {
        float first = losses[0], last = losses[losses.length - 1];
        assertTrue(last < 1e-3f * first, name + ": loss " + first + " -> " + last + " did not fall by 1000x");
    }

    @Test
    void sgdVariantsMinimizeAQuadratic() {
        float[] plain = descend(Sgd::new, 0.1f, 40);
        for (int i = 1; i < plain.length; i++)
            assertTrue(plain[i] < plain[i - 1], "plain SGD loss rose at step " + i + ": " + plain[i - 1] + " -> " + plain[i]);
        assertConverges("sgd", plain);
        assertConverges("momentum", descend(ps -> new Sgd(ps, new SgdConfig(0.9f, 0f, false)), 0.02f, 150));
        assertConverges("nesterov", descend(ps -> new Sgd(ps, new SgdConfig(0.9f, 0f, true)), 0.02f, 100));
    }

    @Test
    void weightDecayPullsTowardZero() {
        // with decay wd the step follows 2(p - t) + wd*p, which vanishes at p = 2t / (2 + wd) = 2t/3 for wd = 1
        Tensor p = Tensor.parameter(be, new float[4], 4);
        try (Sgd opt = new Sgd(List.of(p), new SgdConfig(0f, 1f, false))) {
            for (int s = 0; s < 200; s++) {
                try (Scope scope = Scope.open()) {
                    opt.zeroGrad();
                    p.sub(target).square().sum().backward();
                    opt.step(0.1f);
                }
            }
        }
        float[] t = target.toArray(), got = p.toArray();
        for (int i = 0; i < 4; i++) assertEquals(2 * t[i] / 3, got[i], 1e-4, "parameter " + i);
        p.close();
    }

    @Test
    void adamMinimizesAQuadratic() {
        assertConverges("adam", descend(Adam::new, 0.05f, 400));
    }

    @Test
    void exactFirstSteps() {
        Tensor p = Tensor.parameter(be, new float[] {1f, 2f}, 2);
        be.write(new float[] {0.5f, -4f}, p.grad(), 0);
        try (Sgd sgd = new Sgd(List.of(p))) {
            sgd.step(0.1f);
        }
        assertArrayEquals(new float[] {0.95f, 2.4f}, p.toArray(), 1e-6f);
        // Adam's first step moves every coordinate by lr against its gradient's sign
        try (Adam adam = new Adam(List.of(p), AdamConfig.defaults())) {
            adam.step(0.01f);
            assertEquals(1, adam.stepCount());
        }
        assertArrayEquals(new float[] {0.94f, 2.41f}, p.toArray(), 1e-5f);
        p.close();
    }

    @Test
    void parametersWithoutGradientsStayPut() {
        Tensor used = Tensor.parameter(be, new float[] {1f}, 1), unused = Tensor.parameter(be, new float[] {7f}, 1);
        be.write(new float[] {1f}, used.grad(), 0);
        try (Adam adam = new Adam(List.of(used, unused))) {
            adam.step(0.1f);
        }
        assertEquals(7f, unused.item());
        assertTrue(used.item() < 1f);
        used.close();
        unused.close();
    }

    @Test
    void zeroGradClearsEveryGradient() {
        Tensor p = Tensor.parameter(be, new float[] {1f, 2f}, 2);
        be.write(new float[] {3f, 4f}, p.grad(), 0);
        try (Sgd sgd = new Sgd(List.of(p))) {
            sgd.zeroGrad();
        }
        assertArrayEquals(new float[] {0f, 0f}, p.gradToArray());
        p.close();
    }

    @Test
    void rejectsBadConfigurations() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), new SgdConfig(0f, 0f, true)));
        assertTrue(e.getMessage().contains("Nesterov"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), new SgdConfig(1.5f, 0f, false)));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(), new AdamConfig(0.9f, 1f, 1e-8f, 0f)));
    }
}
