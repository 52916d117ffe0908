package org.nasengine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.autograd.Pooling;
import org.nasengine.backend.SgdConfig;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.optim.Adam;
import org.nasengine.optim.GradClip;
import org.nasengine.optim.Optimizer;
import org.nasengine.optim.Sgd;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/**
 * A small conv + bn + relu + pool + linear + cross-entropy training step, repeated inside a
 * scope: once the pool has warmed up (first two steps), a step must take every buffer from the
 * pool and none from the device.
 */
class TrainingStepAllocationTest {
    private static final int STEPS = 8;

    private record Run(long[] freshAfter, float[] losses) {}

    private Run train(Function<List<Tensor>, Optimizer> makeOptimizer) {
        try (JavaBackend be = new JavaBackend()) {
            var rng = Init.rng(2024);
            Conv2d conv = new Conv2d(be, rng, 3, 6, 3, 3, 1);
            BatchNorm2d bn = new BatchNorm2d(be, 6);
            Linear fc = new Linear(be, rng, 6, 4, true);
            Dropout drop = new Dropout(0.2f, 5);
            List<Tensor> params = new ArrayList<>(conv.parameters());
            params.addAll(bn.parameters());
            params.addAll(fc.parameters());
            float[] pixels = new float[4 * 3 * 8 * 8];
            for (int i = 0; i < pixels.length; i++) pixels[i] = (float) Math.sin(i * 0.37);
            Tensor x = Tensor.of(be, pixels, 4, 3, 8, 8);                  // (N, C, H, W), outside the step scope
            Tensor labels = Tensor.ints(be, new int[] {0, 1, 2, 3}, 4);    // (N)
            long[] fresh = new long[STEPS];
            float[] losses = new float[STEPS];
            try (Optimizer opt = makeOptimizer.apply(params)) {
                for (int step = 0; step < STEPS; step++) {
                    try (Scope s = Scope.open()) {
                        opt.zeroGrad();
                        Tensor h = bn.forward(conv.forward(x)).relu();                 // (4, 6, 8, 8)
                        h = Pooling.maxPool2d(h, 3, 2, 1);                             // (4, 6, 4, 4)
                        Tensor logits = fc.forward(drop.forward(Pooling.globalAvgPool(h))); // (4, 4)
                        Tensor loss = CrossEntropy.softmaxCrossEntropy(logits, labels);
                        loss.backward();
                        GradClip.clipByGlobalNorm(params, 5.0);
                        opt.step(0.05f);
                        losses[step] = loss.item();
                    }
                    fresh[step] = be.poolStats().freshAllocations();
                }
            }
            for (Module m : List.of(conv, bn, fc, drop)) m.close();
            x.close();
            labels.close();
            return new Run(fresh, losses);
        }
    }

    private static void assertSteadyState(String name, Run run) {
        for (int step = 2; step < STEPS; step++)
            assertEquals(run.freshAfter()[1], run.freshAfter()[step],
                    name + ": step " + step + " allocated fresh buffers (fresh count after each step: "
                            + java.util.Arrays.toString(run.freshAfter()) + ")");
        assertTrue(run.losses()[STEPS - 1] < run.losses()[0],
                name + ": the loss did not fall: " + java.util.Arrays.toString(run.losses()));
    }

    @Test
    void sgdStepAllocatesNothingAfterWarmUp() {
        assertSteadyState("sgd", train(ps -> new Sgd(ps, new SgdConfig(0.9f, 1e-4f, true))));
    }

    @Test
    void adamStepAllocatesNothingAfterWarmUp() {
        assertSteadyState("adam", train(Adam::new));
    }
}
