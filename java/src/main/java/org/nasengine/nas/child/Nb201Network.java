package org.nasengine.nas.child;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.autograd.Pooling;
import org.nasengine.backend.Backend;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.nas.space.Nb201;
import org.nasengine.nn.BatchNorm2d;
import org.nasengine.nn.Conv2d;
import org.nasengine.nn.Init;
import org.nasengine.nn.Linear;
import org.nasengine.tensor.Tensor;

/**
 * NAS-Bench-201's network around its searched cell (Dong &amp; Yang, ICLR 2020): a 3x3
 * convolution stem (no bias) + BN with C = {@code channels} filters; three stages of
 * {@code cells_per_stage} cells at C, 2C and 4C, with a {@link ResidualReductionBlock} between
 * stages; then BN, ReLU, global average pooling and a fully connected layer with bias.
 */
public final class Nb201Network extends ImageNetwork {
    private static final int STEM_KERNEL = 3, STAGES = 3;

    private final Nb201 arch;
    private final int imageChannels, height, width, classes;
    private final Conv2d stem;
    private final BatchNorm2d stemNorm;
    private final List<CellOp> layers = new ArrayList<>(); // cells and reduction blocks, in order
    private final List<String> names = new ArrayList<>();
    private final List<int[]> inputShapes = new ArrayList<>(), outputShapes = new ArrayList<>(); // (C, H, W) per layer
    private final BatchNorm2d lastNorm;
    private final Linear classifier;

    public Nb201Network(Nb201 arch, int imageChannels, int height, int width, int classes, Backend backend, long seed) {
        requirePositive("image channels", imageChannels);
        requirePositive("height", height);
        requirePositive("width", width);
        requirePositive("classes", classes);
        this.arch = arch;
        this.imageChannels = imageChannels;
        this.height = height;
        this.width = width;
        this.classes = classes;
        RandomGenerator rng = Init.rng(seed);
        int c = arch.channels();
        stem = registerChild("stem.conv", new Conv2d(backend, rng, imageChannels, c, STEM_KERNEL, STEM_KERNEL, 1));
        stemNorm = registerChild("stem.bn", new BatchNorm2d(backend, c));

        int[] shape = {c, height, width}; // (C, H, W) of the running feature map
        int cell = 0;
        for (int stage = 0; stage < STAGES; stage++) {
            if (stage > 0) {
                shape = add(new ResidualReductionBlock(shape[0], 2 * shape[0], backend, rng), "reduction " + (stage - 1), shape, 2);
            }
            for (int i = 0; i < arch.cellsPerStage(); i++)
                shape = add(new Nb201Cell(arch, shape[0], backend, rng), "cell " + cell++ + " (stage " + stage + ")", shape, 1);
        }
        lastNorm = registerChild("last_bn", new BatchNorm2d(backend, shape[0]));
        classifier = registerChild("classifier", new Linear(backend, rng, shape[0], classes, true));
    }

    /** Registers a layer reading (C, H, W) {@code in}; returns the (C, H, W) it writes. */
    private int[] add(CellOp layer, String name, int[] in, int stride) {
        int[] out = {layer.outChannels(), CellOp.outSize(in[1], stride), CellOp.outSize(in[2], stride)};
        layers.add(registerChild("layers." + layers.size(), layer));
        names.add(name);
        inputShapes.add(in);
        outputShapes.add(out);
        return out;
    }

    private static void requirePositive(String role, int value) {
        if (value <= 0) throw new IllegalArgumentException(role + " (" + value + ") must be > 0");
    }

    public Nb201 architecture() {
        return arch;
    }

    /** The cells and reduction blocks, in order. */
    public List<CellOp> layers() {
        return List.copyOf(layers);
    }

    public Conv2d stem() { return stem; }
    public BatchNorm2d stemNorm() { return stemNorm; }
    public BatchNorm2d lastNorm() { return lastNorm; }
    public Linear classifier() { return classifier; }

    @Override
    public Tensor forward(Tensor images) { // (N, C, H, W) -> (N, classes)
        if (images.rank() != 4 || images.dim(1) != imageChannels || images.dim(2) != height || images.dim(3) != width)
            throw new IllegalArgumentException("Nb201Network built for (N, " + imageChannels + ", " + height + ", " + width
                    + ") images, got " + Arrays.toString(images.shape()));
        Tensor x = stemNorm.forward(stem.forward(images)); // (N, C, H, W)
        for (CellOp layer : layers) x = layer.forward(x);   // ... (N, 4C, H/4, W/4)
        Tensor features = Pooling.globalAvgPool(lastNorm.forward(x).relu()); // (N, 4C)
        return classifier.forward(features);
    }

    @Override
    public List<LayerSummary> summary() {
        List<LayerSummary> rows = new ArrayList<>();
        int c = arch.channels();
        double stemFlops = ConvGeometry.same(1, imageChannels, height, width, c, STEM_KERNEL, STEM_KERNEL, 1, 1, 1).forwardFlops();
        rows.add(new LayerSummary("stem conv3x3-bn " + imageChannels + "->" + c, new int[] {c, height, width},
                stem.parameterCount() + stemNorm.parameterCount(), stemFlops));
        int[] out = {c, height, width};
        for (int i = 0; i < layers.size(); i++) {
            CellOp layer = layers.get(i);
            int[] in = inputShapes.get(i);
            out = outputShapes.get(i).clone();
            rows.add(new LayerSummary(names.get(i) + ": " + layer.describe(), out, layer.parameterCount(), layer.flops(in[1], in[2])));
        }
        rows.add(new LayerSummary("bn-relu " + out[0], out, lastNorm.parameterCount(), 0));
        rows.add(new LayerSummary("classifier (global avg pool, fc " + out[0] + "->" + classes + ")", new int[] {classes},
                classifier.parameterCount(), 2.0 * out[0] * classes));
        return rows;
    }

    @Override
    public String toString() {
        return "Nb201Network" + Arrays.toString(new int[] {imageChannels, height, width}) + " " + arch.cellString()
                + " C=" + arch.channels() + " N=" + arch.cellsPerStage() + " -> " + classes;
    }
}
