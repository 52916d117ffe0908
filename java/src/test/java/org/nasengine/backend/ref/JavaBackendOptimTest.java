package org.nasengine.backend.ref;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nasengine.backend.ref.RefFixture.assertClose;
import static org.nasengine.backend.ref.RefFixture.buf;
import static org.nasengine.backend.ref.RefFixture.get;

import org.junit.jupiter.api.Test;
import org.nasengine.backend.AdamConfig;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.SgdConfig;

/** One optimizer step against the record formulas, the config floats widened exactly as the backend reads them. */
class JavaBackendOptimTest {
    private final JavaBackend be = new JavaBackend();

    @Test
    void sgdNesterovWithWeightDecay() {
        float mom = 0.9f, wd = 0.1f, lr = 0.1f;
        Buffer p = buf(be, 1, -2), g = buf(be, 0.5, 0), v = buf(be, 0.2, 1);
        be.sgdStep(2, new SgdConfig(mom, wd, true), lr, p, g, v);
        // element 0: g' = 0.5 + 0.1 = 0.6; v = 0.18 + 0.6 = 0.78; p = 1 - 0.1*(0.6 + 0.9*0.78) = 0.8698
        double g0 = 0.5 + wd * 1.0, v0 = mom * 0.2 + g0;
        double g1 = wd * -2.0, v1 = mom * 1.0 + g1;
        assertClose("velocity", new double[] {v0, v1}, get(be, v, 2), 1e-15, 1e-14);
        assertClose("param", new double[] {1 - lr * (g0 + mom * v0), -2 - lr * (g1 + mom * v1)}, get(be, p, 2), 1e-15, 1e-14);
        assertClose("param, rounded hand value", new double[] {0.8698}, new double[] {get(be, p, 1)[0]}, 1e-6, 0);
    }

    @Test
    void sgdClassicMomentumAndPlain() {
        Buffer p = buf(be, 1), g = buf(be, 0.5), v = buf(be, 0.2);
        be.sgdStep(1, new SgdConfig(0.5f, 0f, false), 1f, p, g, v);
        assertClose("heavy ball: v = 0.1 + 0.5, p = 1 - 0.6", new double[] {0.4}, get(be, p, 1), 1e-15, 1e-14);
        Buffer q = buf(be, 1);
        be.sgdStep(1, new SgdConfig(0f, 0f, false), 0.5f, q, buf(be, 0.5), null);   // no velocity without momentum
        assertClose("plain sgd", new double[] {0.75}, get(be, q, 1));
        assertThrows(IllegalArgumentException.class,
                () -> be.sgdStep(1, new SgdConfig(0.9f, 0f, false), 0.5f, q, buf(be, 0.5), null));
    }

    @Test
    void adamFirstStepMovesByLrTimesSign() {
        AdamConfig cfg = AdamConfig.defaults();
        Buffer p = buf(be, 1, 1), m = be.allocate(2), v = be.allocate(2);
        be.adamStep(2, cfg, 0.01f, 1, p, buf(be, 0.3, -2), m, v);
        // t = 1: m-hat = g, v-hat = g^2, so the step is lr * g / (|g| + eps)
        double lr = 0.01f, eps = cfg.eps();
        assertClose("param", new double[] {1 - lr * 0.3 / (0.3 + eps), 1 + lr * 2 / (2 + eps)}, get(be, p, 2), 1e-12, 1e-9);
        assertClose("m", new double[] {(1 - (double) cfg.beta1()) * 0.3, (1 - (double) cfg.beta1()) * -2}, get(be, m, 2), 1e-15, 1e-12);
        assertClose("v", new double[] {(1 - (double) cfg.beta2()) * 0.09, (1 - (double) cfg.beta2()) * 4}, get(be, v, 2), 1e-15, 1e-12);
    }

    @Test
    void adamSecondStepWithWeightDecayAgainstFormula() {
        AdamConfig cfg = new AdamConfig(0.5f, 0.75f, 0.125f, 0.25f);   // all exact in float
        Buffer p = buf(be, 2), m = buf(be, 1), v = buf(be, 4);
        be.adamStep(1, cfg, 0.5f, 2, p, buf(be, 1.5), m, v);
        // g' = 1.5 + 0.25*2 = 2; m = 0.5 + 1 = 1.5; v = 3 + 0.25*4 = 4
        // m-hat = 1.5 / (1 - 0.25) = 2; v-hat = 4 / (1 - 0.5625) = 9.142857...; p = 2 - 0.5 * 2 / (sqrt(v-hat) + 0.125)
        assertClose("m", new double[] {1.5}, get(be, m, 1));
        assertClose("v", new double[] {4}, get(be, v, 1));
        assertClose("param", new double[] {2 - 1 / (Math.sqrt(4 / 0.4375) + 0.125)}, get(be, p, 1), 1e-15, 1e-14);
        assertThrows(IllegalArgumentException.class, () -> be.adamStep(1, cfg, 0.5f, 0, p, buf(be, 1), m, v));
    }
}
