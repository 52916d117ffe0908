package org.nasengine.bench;

import java.util.SplittableRandom;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.backend.Backend;
import org.nasengine.backend.SgdConfig;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.ImageNetwork;
import org.nasengine.nas.space.Architecture;
import org.nasengine.optim.Sgd;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/**
 * One training step of an image child as {@code ImageTrainer} runs it (forward, softmax
 * cross-entropy, backward, SGD Nesterov 0.9 with weight decay 1e-4), on a fixed batch of random
 * images and labels held outside the step's scope, so a step allocates nothing once warm.
 */
public final class ImageStep implements AutoCloseable {
    public static final float LR = 0.01f;

    private final ImageNetwork net;
    private final Sgd sgd;
    private final Tensor images; // (N, C, H, W)
    private final Tensor labels; // (N) int32
    private final int batch;
    private final double flopsPerStep;

    public ImageStep(Architecture arch, int channels, int size, int batch, Backend backend, long seed) {
        this.batch = batch;
        net = ChildBuilder.image(arch, channels, size, size, 10, backend, seed);
        sgd = new Sgd(net.parameters(), new SgdConfig(0.9f, 1e-4f, true));
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[batch * channels * size * size];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) y[i] = rnd.nextInt(10);
        images = Tensor.of(backend, x, batch, channels, size, size); // no scope open: lives until close()
        labels = Tensor.ints(backend, y, batch);
        flopsPerStep = 3 * net.flopsPerExample() * batch;
    }

    /** Forward + backward + update; returns the loss (reading it also waits for the device). */
    public float step() {
        try (Scope s = Scope.open()) {
            Tensor loss = CrossEntropy.softmaxCrossEntropy(net.forward(images), labels);
            sgd.zeroGrad();
            loss.backward();
            sgd.step(LR);
            return loss.item();
        }
    }

    public ImageNetwork network() { return net; }
    public int batch() { return batch; }

    /** Forward + backward FLOPs of one step: three times the forward's. */
    public double flopsPerStep() {
        return flopsPerStep;
    }

    @Override
    public void close() {
        images.close();
        labels.close();
        sgd.close();
        net.close();
    }
}
