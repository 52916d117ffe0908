package org.nasengine.nas.child;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.data.HoldOut;
import org.nasengine.data.ImageDataset;
import org.nasengine.data.Synthetic;
import org.nasengine.nn.Init;
import org.nasengine.nn.Linear;
import org.nasengine.tensor.Tensor;

/**
 * train_images_per_sec counts the timed training steps alone. The network moves a fake clock by a
 * little per training forward and by a lot per evaluation forward, so a rate that took in any of
 * the validation or test time would come out orders of magnitude lower than the exact figure
 * expected here, on any machine.
 */
class ImageTrainerRateTest {
    private static final long TRAIN_FORWARD_NANOS = 1_000_000;       // 1 ms per training step
    private static final long EVAL_FORWARD_NANOS = 1_000_000_000;    // 1 s per evaluation batch

    private final JavaBackend be = new JavaBackend();

    @AfterEach
    void close() {
        be.close();
    }

    /** Logistic regression on the flattened image; the clock moves with each forward, by mode. */
    private static final class ClockedNetwork extends ImageNetwork {
        private final Linear linear;
        private final FakeClock clock;

        ClockedNetwork(JavaBackend be, int inputs, int classes, FakeClock clock) {
            this.linear = registerChild("linear", new Linear(be, Init.rng(1), inputs, classes, true));
            this.clock = clock;
        }

        @Override
        public Tensor forward(Tensor images) {
            clock.advance(isTraining() ? TRAIN_FORWARD_NANOS : EVAL_FORWARD_NANOS);
            return linear.forward(images.reshape(images.shape()[0], -1));
        }

        @Override
        public List<LayerSummary> summary() {
            return List.of();
        }
    }

    @Test
    void trainingRateLeavesOutEvaluationAndWarmUp() {
        // 160 training images in batches of 32: 5 steps an epoch, 2 epochs; 40 validation and 40 test images
        ImageDataset ds = new Synthetic(1, 4, 3, 7).dataset(200, 40, HoldOut.ofCount(40, 7));
        int batch = 32, epochs = 2;
        TrainConfig cfg = new TrainConfig(epochs, batch, 0.05f, "sgd", 0.9f, 0f, false, "constant", 0, 1, false, false, 7);
        FakeClock clock = new FakeClock();
        try (ClockedNetwork net = new ClockedNetwork(be, 16, 3, clock)) {
            TrainResult r = ImageTrainer.train(net, ds.train(), ds.validation(), ds.test(), cfg, new ImageTrainer.Listener() {},
                    clock);
            assertEquals("ok", r.status(), r.error());
            assertEquals(10, r.steps());
            // every timed step took exactly one training forward: batch / 1 ms, whatever the warm-up
            assertEquals(batch / (TRAIN_FORWARD_NANOS / 1e9), r.trainImagesPerSec(), 1e-6,
                    "the training rate must not include the evaluation passes");
            // two validation passes and one test pass, each of 40 images in 2 batches of 32 (the last one short)
            double evalImages = epochs * 40 + 40, evalSeconds = (epochs * 2 + 2) * (EVAL_FORWARD_NANOS / 1e9);
            assertEquals(evalImages / evalSeconds, r.evalImagesPerSec(), 1e-9);
        }
    }

    @Test
    void theProgressRateIsTheTrainingRateToo() {
        ImageDataset ds = new Synthetic(1, 4, 3, 7).dataset(200, 40, HoldOut.ofCount(40, 7));
        TrainConfig cfg = new TrainConfig(2, 32, 0.05f, "sgd", 0.9f, 0f, false, "constant", 0, 1, false, false, 7);
        FakeClock clock = new FakeClock();
        double[] lastReported = {Double.NaN};
        try (ClockedNetwork net = new ClockedNetwork(be, 16, 3, clock)) {
            ImageTrainer.train(net, ds.train(), ds.validation(), ds.test(), cfg, new ImageTrainer.Listener() {
                @Override
                public void step(int epoch, long step, long total, float loss, double imagesPerSec) {
                    lastReported[0] = imagesPerSec;
                    clock.advance(EVAL_FORWARD_NANOS);   // a slow progress bar is not training either
                }
            }, clock);
            assertEquals(32 / (TRAIN_FORWARD_NANOS / 1e9), lastReported[0], 1e-6);
        }
    }
}
