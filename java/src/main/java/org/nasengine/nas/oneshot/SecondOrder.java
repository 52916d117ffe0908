package org.nasengine.nas.oneshot;

import java.util.List;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/**
 * DARTS' second-order alpha gradient (Liu et al. 2019, eq. 7-8): with w' = w - xi * dL_train(w)/dw
 * one virtual SGD step ahead (xi the current weight learning rate, weight decay included, momentum
 * left out), grad_alpha L_val(w', alpha) - xi * (grad_alpha L_train(w+) - grad_alpha L_train(w-)) / (2 eps),
 * where w+- = w +- eps v, v = dL_val(w')/dw' and eps = 0.01 / |v|. Four forward-backward passes;
 * the weights are restored before the weight step. The vectors live on the host: they are the
 * size of the supernet's weights, small beside its activations.
 */
final class SecondOrder {
    private SecondOrder() {}

    /** Computes the unrolled gradient into alpha's gradient, steps Adam, returns L_val(w', alpha). */
    static float archGradient(DartsSearch s, long step, StepBatches.Batch valid) {
        List<Tensor> w = s.supernet().module().parameters();
        Tensor alpha = s.alpha();
        int epoch = s.epochOf(step); // the auxiliary skip's weight depends on it
        float xi = s.lrAt(step), wd = s.config().weightDecay();
        float[][] saved = values(w);
        StepBatches.Batch train = s.trainBatch(step);

        float[][] g = gradients(s, train, s.mix(alpha.copy(), epoch, false), w, null);
        float[][] virtual = new float[w.size()][];
        for (int i = 0; i < w.size(); i++) {
            virtual[i] = saved[i].clone();
            for (int j = 0; j < virtual[i].length; j++) virtual[i][j] -= xi * (g[i][j] + wd * saved[i][j]);
        }
        set(w, virtual);
        float[] dAlpha = new float[(int) alpha.size()];
        float[] loss = new float[1];
        float[][] v = gradients(s, valid, s.mix(alpha, epoch, true), w, dAlpha, loss);

        double norm = 0;
        for (float[] a : v) for (float x : a) norm += (double) x * x;
        float eps = (float) (0.01 / Math.max(Math.sqrt(norm), 1e-12));
        float[] plus = new float[dAlpha.length], minus = new float[dAlpha.length];
        set(w, shifted(saved, v, eps));
        gradients(s, train, s.mix(alpha, epoch, true), w, plus);
        set(w, shifted(saved, v, -eps));
        gradients(s, train, s.mix(alpha, epoch, true), w, minus);
        set(w, saved);

        float[] unrolled = new float[dAlpha.length];
        for (int i = 0; i < unrolled.length; i++) unrolled[i] = dAlpha[i] - xi * (plus[i] - minus[i]) / (2 * eps);
        s.adam().zeroGrad();
        alpha.backend().write(unrolled, alpha.grad(), 0);
        if (Float.isFinite(loss[0])) s.adam().step(s.config().archLr());
        return loss[0];
    }

    private static float[][] gradients(DartsSearch s, StepBatches.Batch batch, EdgeMix mix, List<Tensor> w, float[] dAlpha) {
        return gradients(s, batch, mix, w, dAlpha, new float[1]);
    }

    /** One forward-backward on {@code batch}: the weights' gradients, alpha's into {@code dAlpha} (when given), the loss. */
    private static float[][] gradients(DartsSearch s, StepBatches.Batch batch, EdgeMix mix, List<Tensor> w, float[] dAlpha,
                                       float[] loss) {
        try (Scope scope = Scope.open()) {
            Tensor l = s.loss(batch, mix, false);
            s.sgd().zeroGrad();
            s.adam().zeroGrad();
            l.backward();
            loss[0] = l.item();
            if (dAlpha != null) System.arraycopy(s.alpha().gradToArray(), 0, dAlpha, 0, dAlpha.length);
            float[][] out = new float[w.size()][];
            for (int i = 0; i < w.size(); i++) out[i] = w.get(i).gradToArray();
            return out;
        }
    }

    private static float[][] values(List<Tensor> w) {
        float[][] out = new float[w.size()][];
        for (int i = 0; i < w.size(); i++) out[i] = w.get(i).toArray();
        return out;
    }

    private static void set(List<Tensor> w, float[][] values) {
        for (int i = 0; i < w.size(); i++) w.get(i).set(values[i]);
    }

    private static float[][] shifted(float[][] base, float[][] dir, float eps) {
        float[][] out = new float[base.length][];
        for (int i = 0; i < base.length; i++) {
            out[i] = base[i].clone();
            for (int j = 0; j < out[i].length; j++) out[i][j] += eps * dir[i][j];
        }
        return out;
    }
}
