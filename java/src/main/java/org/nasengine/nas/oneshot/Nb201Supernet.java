package org.nasengine.nas.oneshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.autograd.Pooling;
import org.nasengine.backend.Backend;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.nas.child.CellOp;
import org.nasengine.nas.child.ImageNetwork;
import org.nasengine.nas.child.LayerSummary;
import org.nasengine.nas.child.ResidualReductionBlock;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.Nb201;
import org.nasengine.nn.BatchNorm2d;
import org.nasengine.nn.Conv2d;
import org.nasengine.nn.Init;
import org.nasengine.nn.Linear;
import org.nasengine.nn.Module;
import org.nasengine.tensor.Tensor;

/**
 * The NAS-Bench-201 network of {@code Nb201Network} (3x3 stem + BN, three stages of cells at C,
 * 2C, 4C with residual reductions between them, BN-ReLU, global average pooling, classifier) whose
 * cells are {@link MixedCell}s: every cell holds every candidate of every edge, and all cells read
 * one {@link EdgeMix}, as the cells of a NAS-Bench-201 network share one cell description.
 * {@link #mix} says what the next forward runs: a fixed child (ENAS), all operations mixed by a
 * softmax (DARTS), or one sampled operation per edge (GDAS).
 */
public final class Nb201Supernet extends ImageNetwork implements DartsSupernet {
    private static final int STEM_KERNEL = 3, STAGES = 3;

    private final int channels, cellsPerStage, imageChannels, height, width, classes;
    private final Conv2d stem;
    private final BatchNorm2d stemNorm;
    private final List<CellOp> layers = new ArrayList<>(); // cells and reduction blocks, in order
    private final List<int[]> inputShapes = new ArrayList<>(); // (C, H, W) each layer reads
    private final List<MixedCell> cells = new ArrayList<>();
    private final BatchNorm2d lastNorm;
    private final Linear classifier;
    private EdgeMix mix;

    public Nb201Supernet(int channels, int cellsPerStage, int imageChannels, int height, int width, int classes,
                         Backend backend, long seed) {
        if (channels <= 0 || cellsPerStage <= 0 || imageChannels <= 0 || height <= 0 || width <= 0 || classes <= 0)
            throw new IllegalArgumentException("supernet sizes must be > 0: channels " + channels + ", cells per stage "
                    + cellsPerStage + ", image " + imageChannels + "x" + height + "x" + width + ", classes " + classes);
        this.channels = channels;
        this.cellsPerStage = cellsPerStage;
        this.imageChannels = imageChannels;
        this.height = height;
        this.width = width;
        this.classes = classes;
        RandomGenerator rng = Init.rng(seed);
        stem = registerChild(new Conv2d(backend, rng, imageChannels, channels, STEM_KERNEL, STEM_KERNEL, 1));
        stemNorm = registerChild(new BatchNorm2d(backend, channels));
        int[] shape = {channels, height, width};
        for (int stage = 0; stage < STAGES; stage++) {
            if (stage > 0) {
                inputShapes.add(shape);
                layers.add(registerChild(new ResidualReductionBlock(shape[0], 2 * shape[0], backend, rng)));
                shape = new int[] {2 * shape[0], (shape[1] + 1) / 2, (shape[2] + 1) / 2};
            }
            for (int i = 0; i < cellsPerStage; i++) {
                MixedCell cell = registerChild(new MixedCell(shape[0], () -> currentMix(), backend, rng));
                cells.add(cell);
                inputShapes.add(shape);
                layers.add(cell);
            }
        }
        lastNorm = registerChild(new BatchNorm2d(backend, shape[0]));
        classifier = registerChild(new Linear(backend, rng, shape[0], classes, true));
    }

    @Override
    public Nb201Supernet mix(EdgeMix m) {
        this.mix = m;
        return this;
    }

    @Override public int alphaRows() { return Nb201.EDGES; }
    @Override public int alphaCols() { return EdgeMix.OPS; }

    /** The benchmark's DARTS rule: each edge's strongest operation, none included. */
    @Override
    public Nb201 discretize(float[][] probs) {
        return new Nb201(Archs.argmax(probs), channels, cellsPerStage);
    }

    @Override
    public String describe(Architecture child) {
        return ((Nb201) child).cellString();
    }

    private EdgeMix currentMix() {
        if (mix == null) throw new IllegalStateException("supernet: no edge mix set before forward");
        return mix;
    }

    @Override
    public Tensor forward(Tensor images) { // (N, C, H, W) -> (N, classes)
        if (images.rank() != 4 || images.dim(1) != imageChannels || images.dim(2) != height || images.dim(3) != width)
            throw new IllegalArgumentException("Nb201Supernet built for (N, " + imageChannels + ", " + height + ", " + width
                    + ") images, got " + Arrays.toString(images.shape()));
        Tensor x = stemNorm.forward(stem.forward(images)); // (N, C, H, W)
        for (CellOp layer : layers) x = layer.forward(x);   // ... (N, 4C, H/4, W/4)
        return classifier.forward(Pooling.globalAvgPool(lastNorm.forward(x).relu())); // (N, classes)
    }

    @Override
    public Tensor forward(Architecture child, Tensor images) {
        if (!(child instanceof Nb201 cell)) throw new IllegalArgumentException("an nb201 supernet runs nb201 cells, not " + child.space());
        return mix(EdgeMix.child(cell)).forward(images);
    }

    @Override
    public Module module() {
        return this;
    }

    /** The child's forward FLOPs per example: stem, reductions, classifier, and each cell's chosen operations. */
    @Override
    public double childFlops(Architecture child) {
        Nb201 cell = (Nb201) child;
        double total = 0;
        for (LayerSummary row : summary()) if (!row.name().startsWith("mixed")) total += row.flops();
        for (int i = 0; i < layers.size(); i++) {
            if (!(layers.get(i) instanceof MixedCell m)) continue;
            int[] in = inputShapes.get(i);
            for (int e = 0; e < Nb201.EDGES; e++) {
                CellOp op = m.op(e, cell.edges().get(e));
                if (op != null) total += op.flops(in[1], in[2]);
            }
        }
        return total;
    }

    public int channels() { return channels; }
    public int cellsPerStage() { return cellsPerStage; }

    @Override
    public List<LayerSummary> summary() {
        List<LayerSummary> rows = new ArrayList<>();
        rows.add(new LayerSummary("stem conv3x3-bn " + imageChannels + "->" + channels, new int[] {channels, height, width},
                stem.parameterCount() + stemNorm.parameterCount(),
                ConvGeometry.same(1, imageChannels, height, width, channels, STEM_KERNEL, STEM_KERNEL, 1, 1, 1).forwardFlops()));
        for (int i = 0; i < layers.size(); i++) {
            CellOp l = layers.get(i);
            int[] in = inputShapes.get(i);
            int stride = l instanceof ResidualReductionBlock ? 2 : 1;
            rows.add(new LayerSummary(l.describe(), new int[] {l.outChannels(), (in[1] + stride - 1) / stride,
                    (in[2] + stride - 1) / stride}, l.parameterCount(), l.flops(in[1], in[2])));
        }
        int c = layers.getLast().outChannels();
        rows.add(new LayerSummary("bn-relu, global avg pool, fc " + c + "->" + classes, new int[] {classes},
                lastNorm.parameterCount() + classifier.parameterCount(), 2.0 * c * classes));
        return rows;
    }

    @Override
    public String toString() {
        return "Nb201Supernet C=" + channels + " N=" + cellsPerStage + " on " + imageChannels + "x" + height + "x" + width;
    }
}
