package org.nasengine.backend.ref;

import org.nasengine.backend.AdamConfig;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.OpChecks;
import org.nasengine.backend.SgdConfig;

/** Reference optimizer steps over one parameter, the formulas of {@link SgdConfig} and {@link AdamConfig} verbatim. */
final class OptimOps {
    private OptimOps() {}

    /** g' = grad + wd*param; v = mom*v + g'; param -= lr * (nesterov ? g' + mom*v : v); momentum 0 skips v. */
    static void sgdStep(long n, SgdConfig cfg, float lr, Buffer paramBuf, Buffer gradBuf, Buffer velocityBuf) {
        OpChecks.nonNegative("sgdStep", "n", n);
        double[] param = Args.need("sgdStep", "param", paramBuf, n);
        double[] grad = Args.need("sgdStep", "grad", gradBuf, n);
        boolean momentum = cfg.momentum() != 0;
        double[] velocity = momentum ? Args.need("sgdStep", "velocity", velocityBuf, n)
                : Args.optional("sgdStep", "velocity", velocityBuf, n);
        for (int i = 0; i < n; i++) {
            double g = grad[i] + cfg.weightDecay() * param[i];
            if (!momentum) {
                param[i] -= lr * g;
                continue;
            }
            velocity[i] = cfg.momentum() * velocity[i] + g;
            param[i] -= lr * (cfg.nesterov() ? g + cfg.momentum() * velocity[i] : velocity[i]);
        }
    }

    /** Step t (1-based): m, v moving averages of g' and g'^2, bias-corrected, eps outside the sqrt. */
    static void adamStep(long n, AdamConfig cfg, float lr, int step, Buffer paramBuf, Buffer gradBuf, Buffer mBuf, Buffer vBuf) {
        OpChecks.nonNegative("adamStep", "n", n);
        OpChecks.positive("adamStep", "step", step);
        double[] param = Args.need("adamStep", "param", paramBuf, n);
        double[] grad = Args.need("adamStep", "grad", gradBuf, n);
        double[] m = Args.need("adamStep", "m", mBuf, n);
        double[] v = Args.need("adamStep", "v", vBuf, n);
        double b1 = cfg.beta1(), b2 = cfg.beta2();
        double correct1 = 1 - Math.pow(b1, step), correct2 = 1 - Math.pow(b2, step);
        for (int i = 0; i < n; i++) {
            double g = grad[i] + cfg.weightDecay() * param[i];
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            param[i] -= lr * (m[i] / correct1) / (Math.sqrt(v[i] / correct2) + cfg.eps());
        }
    }
}
