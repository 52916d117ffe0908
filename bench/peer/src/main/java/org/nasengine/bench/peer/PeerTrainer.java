package org.nasengine.bench.peer;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import org.nasengine.data.Batches;
import org.nasengine.data.ImageSplit;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nas.space.NasNet;

/**
 * Trains a child on PyTorch through DJL the way our ImageTrainer trains it: one batch a step,
 * softmax cross-entropy (mean over the batch), SGD Nesterov 0.9 with weight decay 1e-4 on every
 * parameter, batch norm on batch statistics while training and on the running ones for
 * evaluation. Weights He-uniform, like ours. Each step's arrays live in a sub-manager closed at
 * the end of the step, so memory is steady.
 */
public final class PeerTrainer implements AutoCloseable {
    private final Model model;
    private final Trainer trainer;
    private final Shape inputShape; // (N, C, H, W)

    public PeerTrainer(Architecture arch, int channels, int height, int width, int classes, int batch, float lr, long seed) {
        this(arch, channels, height, width, classes, batch, lr, 0, seed);
    }

    /** With {@code cosineSteps > 0} the rate follows cosine from lr to 0 over that many steps, as our trainer's default. */
    public PeerTrainer(Architecture arch, int channels, int height, int width, int classes, int batch, float lr, int cosineSteps,
                       long seed) {
        Engine.getEngine("PyTorch").setRandomSeed((int) seed); // repeatable initial weights, as ours
        Block block = switch (arch) {
            case MacroCnn m -> new PeerMacroCnn(m, classes);
            case NasNet n -> new PeerNasNet(n, channels, height, width, classes);
            default -> throw new IllegalArgumentException("the peer builds image children (macro-cnn, nasnet), not " + arch.space());
        };
        model = Model.newInstance("peer-" + arch.space(), "PyTorch");
        model.setBlock(block);
        DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(NesterovSgd.builder().learningRate(lr).momentum(0.9f).cosine(cosineSteps).optWeightDecays(1e-4f).build())
                // U(-sqrt(6/fanIn), +): He uniform, as our Init.heUniform
                .optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 6),
                        Parameter.Type.WEIGHT);
        trainer = model.newTrainer(cfg);
        inputShape = new Shape(batch, channels, height, width);
        trainer.initialize(inputShape);
    }

    /** One step on images (N, C, H, W) and labels (N); returns the loss. */
    public float step(float[] images, int[] labels) {
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray x = m.create(images, inputShape);
            NDArray y = m.create(labels, new Shape(labels.length));
            float loss;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                NDArray l = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                gc.backward(l);
                loss = l.getFloat();
            }
            trainer.step();
            zeroGradients();
            return loss;
        }
    }

    /**
     * libtorch accumulates gradients and DJL's parameter server only closes its handles to them,
     * so they are zeroed here, as torch's optimizer.zero_grad() would.
     */
    private void zeroGradients() {
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            if (!p.getValue().requiresGradient()) continue;
            try (NDArray g = p.getValue().getArray().getGradient()) {
                g.subi(g);
            }
        }
    }

    /** Top-1 accuracy with the running batch-norm statistics, batches of the training size (rows past the split ignored). */
    public double accuracy(ImageSplit split) {
        int batch = Math.toIntExact(inputShape.get(0)), classes = split.classes();
        Batches batches = Batches.inOrder(split, batch);
        long correct = 0;
        while (batches.hasNext()) {
            Batches.Batch b = batches.next();
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDArray logits = trainer.evaluate(new NDList(m.create(b.images(), inputShape))).singletonOrThrow();
                float[] v = logits.toFloatArray();
                for (int i = 0; i < b.size(); i++) {
                    int arg = 0;
                    for (int k = 1; k < classes; k++) if (v[i * classes + k] > v[i * classes + arg]) arg = k;
                    if (arg == b.labels()[i]) correct++;
                }
            }
        }
        return correct / (double) split.count();
    }

    /** Trainable parameters (running statistics excluded), to hold against the spec's count. */
    public long parameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters())
            if (p.getValue().requiresGradient()) n += p.getValue().getArray().size();
        return n;
    }

    public Model model() { return model; }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
