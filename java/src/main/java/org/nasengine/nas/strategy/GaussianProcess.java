package org.nasengine.nas.strategy;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * A Gaussian process over token layouts with the kernel k(a, b) = exp(-d(a, b) / l), d the number
 * of tokens in which a and b differ (an absent token differs from every present one). The kernel
 * is a product of one positive-definite kernel per token, so every Gram matrix is positive
 * definite. Zero prior mean and unit signal variance: the targets are normal scores. The length
 * scale l (in tokens) and the noise variance are chosen by the log marginal likelihood over a grid.
 * The Cholesky factorisation is EJML's.
 */
final class GaussianProcess {
    private final List<int[]> x;
    private final double lengthscale, noise, logLikelihood;
    private final double[] lower; // (n, n) row-major Cholesky factor L of K + noise I
    private final double[] alpha; // (n) (K + noise I)^-1 y

    private GaussianProcess(List<int[]> x, double[] y, double lengthscale, double noise) {
        int n = x.size();
        this.x = List.copyOf(x);
        this.lengthscale = lengthscale;
        this.noise = noise;
        DMatrixRMaj k = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) {
                double v = kernel(x.get(i), x.get(j), lengthscale) + (i == j ? noise : 0);
                k.set(i, j, v);
                k.set(j, i, v);
            }
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
        if (!chol.decompose(k))
            throw new IllegalStateException("GP Gram matrix of " + n + " points is not positive definite (length scale "
                    + lengthscale + ", noise " + noise + ")");
        this.lower = chol.getT(null).data;
        this.alpha = y.clone();
        TriangularSolver_DDRM.solveL(lower, alpha, n);
        double fit = 0;
        for (double a : alpha) fit += a * a;  // y^T K^-1 y = |L^-1 y|^2
        TriangularSolver_DDRM.solveTranL(lower, alpha, n);
        double logDet = 0;
        for (int i = 0; i < n; i++) logDet += 2 * Math.log(lower[i * n + i]);
        this.logLikelihood = -0.5 * fit - 0.5 * logDet - 0.5 * n * Math.log(2 * Math.PI);
    }

    /** The process with the grid's most likely length scale and noise. */
    static GaussianProcess fit(List<int[]> x, double[] y, double[] lengthscales, double[] noises) {
        if (x.isEmpty() || x.size() != y.length) throw new IllegalArgumentException(x.size() + " points but " + y.length + " targets");
        GaussianProcess best = null;
        for (double l : lengthscales)
            for (double s : noises) {
                GaussianProcess gp = new GaussianProcess(x, y, l, s);
                if (best == null || gp.logLikelihood > best.logLikelihood) best = gp;
            }
        return best;
    }

    /** The same hyperparameters on other data (the kriging believer's fantasised points). */
    GaussianProcess refit(List<int[]> x, double[] y) {
        return new GaussianProcess(x, y, lengthscale, noise);
    }

    double lengthscale() { return lengthscale; }

    double noise() { return noise; }

    /** Posterior mean and standard deviation of the latent value at {@code q}. */
    double[] predict(int[] q) {
        int n = x.size();
        double[] k = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            k[i] = kernel(q, x.get(i), lengthscale);
            mean += k[i] * alpha[i];
        }
        TriangularSolver_DDRM.solveL(lower, k, n); // v = L^-1 k*, var = k(q, q) - |v|^2
        double var = 1;
        for (double v : k) var -= v * v;
        return new double[] {mean, Math.sqrt(Math.max(var, 1e-12))};
    }

    static double kernel(int[] a, int[] b, double lengthscale) {
        int d = 0;
        for (int t = 0; t < a.length; t++) if (a[t] != b[t]) d++;
        return Math.exp(-d / lengthscale);
    }
}
