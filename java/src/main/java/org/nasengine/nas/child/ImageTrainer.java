package org.nasengine.nas.child;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.backend.AdamConfig;
import org.nasengine.backend.Backend;
import org.nasengine.backend.DeviceOutOfMemoryException;
import org.nasengine.backend.SgdConfig;
import org.nasengine.data.Batches;
import org.nasengine.data.CropFlip;
import org.nasengine.data.ImageSplit;
import org.nasengine.optim.Adam;
import org.nasengine.optim.LrSchedule;
import org.nasengine.optim.Optimizer;
import org.nasengine.optim.Sgd;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * Trains an image child and measures it. Each step runs in its own {@link Scope}, so activations
 * and gradients recycle through the backend pool. A non-finite loss stops training at once with
 * status {@code diverged}; running out of memory gives {@code out_of_memory}; neither throws.
 */
public final class ImageTrainer {

    /** Progress callbacks: called on the training thread. */
    public interface Listener {
        default void step(int epoch, long step, long stepsTotal, float loss, double imagesPerSec) {}
        default void epoch(int epoch, double valAccuracy) {}
    }

    private ImageTrainer() {}

    public static TrainResult train(ImageNetwork net, ImageSplit train, ImageSplit validation, ImageSplit test,
                                    TrainConfig cfg, Listener listener) {
        return train(net, train, validation, test, cfg, listener, System::nanoTime);
    }

    /**
     * {@code clock} (nanoseconds) times the training steps and the evaluation passes apart: the
     * training rate covers the steps after the warm-up alone (batch, forward, backward, update),
     * the evaluation rate the validation and test passes.
     */
    static TrainResult train(ImageNetwork net, ImageSplit train, ImageSplit validation, ImageSplit test,
                             TrainConfig cfg, Listener listener, LongSupplier clock) {
        Backend be = net.parameters().getFirst().backend();
        Batches batches = new Batches(train, cfg.batch(), cfg.seed()).dropLast();
        if (cfg.augment()) batches.augment(CropFlip.cifar(cfg.seed() ^ 0x5DEECE66DL));
        if (batches.batchesPerEpoch() == 0)
            throw new IllegalArgumentException("training split (" + train.count() + " images) is smaller than one batch (" + cfg.batch() + ")");
        long perEpoch = batches.batchesPerEpoch();
        long total = cfg.maxSteps() > 0 ? Math.min(cfg.maxSteps(), perEpoch * cfg.epochs()) : perEpoch * cfg.epochs();
        LrSchedule schedule = switch (cfg.schedule()) {
            case "cosine" -> LrSchedule.cosine(cfg.lr(), 0f, (int) total);
            case "step" -> LrSchedule.step(cfg.lr(), 0.1f, (int) Math.max(1, total / 3));
            default -> LrSchedule.constant(cfg.lr());
        };
        List<Double> vals = new ArrayList<>();
        Throughput trainRate = Throughput.training(clock, total), evalRate = Throughput.evaluation(clock);
        long step = 0;
        float loss = Float.NaN;
        int epoch = 0;
        try (Optimizer opt = cfg.optimizer().equals("adam")
                ? new Adam(net.parameters(), new AdamConfig(0.9f, 0.999f, 1e-8f, cfg.weightDecay()))
                : new Sgd(net.parameters(), new SgdConfig(cfg.momentum(), cfg.weightDecay(), cfg.nesterov()))) {
            int[] shape = {cfg.batch(), train.channels(), train.height(), train.width()};
            while (epoch < cfg.epochs() && step < total) {
                net.train();
                while (batches.hasNext() && step < total) {
                    trainRate.start();
                    Batches.Batch b = batches.next();
                    try (Scope s = Scope.open()) {
                        Tensor x = Tensor.of(be, b.images(), shape);
                        Tensor y = Tensor.ints(be, b.labels(), cfg.batch());
                        Tensor l = CrossEntropy.softmaxCrossEntropy(net.forward(x), y);
                        opt.zeroGrad();
                        l.backward();
                        loss = l.item();
                        if (!Float.isFinite(loss))
                            return new TrainResult("diverged", "loss became " + loss + " at step " + step, epoch, step,
                                    trainRate.perSecond(), evalRate.perSecond(), vals, 0, Double.NaN, loss);
                        opt.step(schedule.at((int) step));
                    }
                    trainRate.stop(cfg.batch());
                    step++;
                    listener.step(epoch, step, total, loss, trainRate.perSecond());
                }
                batches.nextEpoch();
                double acc = accuracy(net, validation, cfg.batch(), evalRate);
                vals.add(acc);
                listener.epoch(epoch, acc);
                epoch++;
            }
            double testAcc = test == null ? Double.NaN : accuracy(net, test, cfg.batch(), evalRate);
            return new TrainResult("ok", null, epoch, step, trainRate.perSecond(), evalRate.perSecond(), vals, reward(vals, cfg),
                    testAcc, loss);
        } catch (OutOfMemoryError | DeviceOutOfMemoryException e) {
            return new TrainResult("out_of_memory", String.valueOf(e.getMessage()), epoch, step, 0, 0, vals, 0, Double.NaN, loss);
        } finally {
            Tape.current().clear();
        }
    }

    /** Best validation accuracy of the last {@code rewardEpochs} epochs, cubed if asked (Zoph and Le). */
    static double reward(List<Double> vals, TrainConfig cfg) {
        double best = 0;
        for (int i = Math.max(0, vals.size() - cfg.rewardEpochs()); i < vals.size(); i++) best = Math.max(best, vals.get(i));
        return cfg.cubeReward() ? best * best * best : best;
    }

    /** Top-1 accuracy in evaluation mode (running batch-norm statistics), without recording. */
    public static double accuracy(ImageNetwork net, ImageSplit split, int batch) {
        Backend be = net.parameters().getFirst().backend();
        net.eval();
        Batches batches = Batches.inOrder(split, batch);
        int[] shape = {batch, split.channels(), split.height(), split.width()};
        int classes = split.classes();
        long correct = 0;
        try (Tape.Guard g = Tape.noGrad()) {
            while (batches.hasNext()) {
                Batches.Batch b = batches.next();
                try (Scope s = Scope.open()) {
                    // the whole capacity runs; rows past b.size() are stale and not counted
                    float[] logits = net.forward(Tensor.of(be, b.images(), shape)).toArray();
                    for (int i = 0; i < b.size(); i++) {
                        int arg = 0;
                        for (int k = 1; k < classes; k++) if (logits[i * classes + k] > logits[i * classes + arg]) arg = k;
                        if (arg == b.labels()[i]) correct++;
                    }
                }
            }
        } finally {
            net.train();
        }
        return correct / (double) split.count();
    }

    private static double accuracy(ImageNetwork net, ImageSplit split, int batch, Throughput rate) {
        rate.start();
        double acc = accuracy(net, split, batch);
        rate.stop(split.count());
        return acc;
    }
}
