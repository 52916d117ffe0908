package org.nasengine.nas.oneshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.nasengine.autograd.Pooling;
import org.nasengine.backend.Backend;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nn.BatchNorm2d;
import org.nasengine.nn.Conv2d;
import org.nasengine.nn.Init;
import org.nasengine.nn.Linear;
import org.nasengine.nn.Module;
import org.nasengine.tensor.Tensor;

/**
 * The spec's NASNet network ({@code NasNetNetwork}: 3x3 stem + BN with F channels; N normal
 * cells, a reduction cell, N normal, a reduction cell, N normal, F doubling at each reduction;
 * global average pooling; classifier) whose cells are {@link MixedNasNetCell}s of B nodes over
 * the candidates of {@link NasNetEdges}. All normal cells read the normal rows of one
 * {@link EdgeMix}, all reduction cells its reduction rows, as the cells of a NASNet share two cell
 * descriptions. The mix says what the next forward runs: a fixed child (ENAS's micro search, only
 * its operations computed), every candidate mixed by softmax(alpha) (DARTS), or one sampled
 * operation per edge (GDAS). DARTS-' auxiliary skip has no place here: an edge from a cell input
 * may change the width or the size, where an identity cannot.
 */
public final class NasNetSupernet extends Module implements DartsSupernet {
    private static final int STEM_KERNEL = 3, STAGES = 3;

    private final NasNetEdges edges;
    private final int filters, repeats, imageChannels, height, width, classes;
    private final Conv2d stem;
    private final BatchNorm2d stemNorm;
    private final List<MixedNasNetCell> cells = new ArrayList<>();
    private final Linear classifier;
    private final Backend backend;
    private EdgeMix mix;

    /**
     * @param blocks  B, nodes per cell
     * @param filters F of the first stage
     * @param repeats N, normal cells per stage
     */
    public NasNetSupernet(int blocks, int filters, int repeats, int imageChannels, int height, int width, int classes,
                          Backend backend, long seed) {
        if (filters <= 0 || repeats <= 0 || imageChannels <= 0 || height <= 0 || width <= 0 || classes <= 0)
            throw new IllegalArgumentException("supernet sizes must be > 0: filters " + filters + ", repeats " + repeats + ", image "
                    + imageChannels + "x" + height + "x" + width + ", classes " + classes);
        this.edges = new NasNetEdges(blocks, NasNetEdges.DARTS_OPS);
        this.filters = filters;
        this.repeats = repeats;
        this.imageChannels = imageChannels;
        this.height = height;
        this.width = width;
        this.classes = classes;
        this.backend = backend;
        RandomGenerator rng = Init.rng(seed);
        stem = registerChild("stem.conv", new Conv2d(backend, rng, imageChannels, filters, STEM_KERNEL, STEM_KERNEL, 1));
        stemNorm = registerChild("stem.bn", new BatchNorm2d(backend, filters));
        int f = filters;
        int[] twoBack = {f, height, width}, previous = twoBack; // (C, H, W)
        for (int stage = 0; stage < STAGES; stage++) {
            for (int r = stage == 0 ? 0 : -1; r < repeats; r++) { // r = -1: the reduction cell opening the stage
                if (r < 0) f *= 2;
                MixedNasNetCell cell = registerChild("cells." + cells.size(),
                        new MixedNasNetCell(edges, r < 0, twoBack, previous, f, backend, rng));
                cells.add(cell);
                twoBack = previous;
                previous = cell.outputShape();
            }
        }
        classifier = registerChild("classifier", new Linear(backend, rng, previous[0], classes, true));
    }

    @Override
    public NasNetSupernet mix(EdgeMix m) {
        m.require(edges.rows(), edges.cols(), "nasnet supernet");
        if (m.auxSkip() > 0)
            throw new IllegalArgumentException("nasnet supernet: no auxiliary skip (an edge from a cell input may change width or size)");
        this.mix = m;
        return this;
    }

    @Override
    public Tensor forward(Tensor images) { // (N, C, H, W) -> (N, classes)
        if (images.rank() != 4 || images.dim(1) != imageChannels || images.dim(2) != height || images.dim(3) != width)
            throw new IllegalArgumentException("NasNetSupernet built for (N, " + imageChannels + ", " + height + ", " + width
                    + ") images, got " + Arrays.toString(images.shape()));
        if (mix == null) throw new IllegalStateException("nasnet supernet: no edge mix set before forward");
        Tensor s = stemNorm.forward(stem.forward(images)); // (N, F, H, W)
        Tensor twoBack = s, previous = s;
        for (MixedNasNetCell cell : cells) {
            Tensor out = cell.forward(twoBack, previous, mix); // (N, B*F', H', W')
            twoBack = previous;
            previous = out;
        }
        return classifier.forward(Pooling.globalAvgPool(previous)); // (N, classes)
    }

    @Override
    public Tensor forward(Architecture child, Tensor images) {
        return mix(edges.child(nasnet(child), backend)).forward(images);
    }

    private NasNet nasnet(Architecture child) {
        if (!(child instanceof NasNet n)) throw new IllegalArgumentException("a nasnet supernet runs nasnet cells, not " + child.space());
        return n;
    }

    @Override
    public Module module() {
        return this;
    }

    /** The child's forward FLOPs per example as the supernet runs it: stem, agreements, its operations, classifier. */
    @Override
    public double childFlops(Architecture child) {
        EdgeMix m = new EdgeMix(null, edges.active(nasnet(child)), 0f);
        double total = ConvGeometry.same(1, imageChannels, height, width, filters, STEM_KERNEL, STEM_KERNEL, 1, 1, 1).forwardFlops();
        for (MixedNasNetCell cell : cells) total += cell.flops(m);
        return total + 2.0 * cells.getLast().outputShape()[0] * classes;
    }

    @Override public int alphaRows() { return edges.rows(); }
    @Override public int alphaCols() { return edges.cols(); }

    /** DARTS' rule (see {@link NasNetEdges#discretize}), as a network of the supernet's N and F. */
    @Override
    public NasNet discretize(float[][] probs) {
        return edges.discretize(probs, repeats, filters);
    }

    /** E.g. {@code normal [1:sep_conv_3x3 + 0:identity, ...] reduction [...]}. */
    @Override
    public String describe(Architecture child) {
        NasNet n = nasnet(child);
        return "normal " + cell(n.normal()) + " reduction " + cell(n.reduction());
    }

    private static String cell(List<NasNet.Block> blocks) {
        return blocks.stream().map(b -> b.inputs().get(0) + ":" + b.ops().get(0).jsonName() + " " + (b.combine() == NasNet.Combine.ADD
                ? "+" : "|") + " " + b.inputs().get(1) + ":" + b.ops().get(1).jsonName()).collect(Collectors.joining(", ", "[", "]"));
    }

    public NasNetEdges edges() { return edges; }
    public List<MixedNasNetCell> cells() { return List.copyOf(cells); }
    public Conv2d stem() { return stem; }
    public BatchNorm2d stemNorm() { return stemNorm; }
    public Linear classifier() { return classifier; }

    @Override
    public String toString() {
        return "NasNetSupernet B=" + edges.blocks() + " F=" + filters + " N=" + repeats + " on " + imageChannels + "x" + height + "x" + width;
    }
}
