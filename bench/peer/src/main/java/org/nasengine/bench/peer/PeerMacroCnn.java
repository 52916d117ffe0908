package org.nasengine.bench.peer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.nasengine.nas.space.MacroCnn;

/**
 * The spec's macro CNN as a DJL block, built from any {@link MacroCnn} value: per layer a
 * convolution without bias ("same" padding (k-1)/2, the layer's stride), batch norm with a learned
 * scale and shift (PyTorch's momentum 0.1, eps 1e-5), ReLU, over the zero-pad join of its inputs;
 * the unread outputs joined, global average pooling, a linear layer with bias.
 */
public final class PeerMacroCnn extends AbstractBlock {
    private final MacroCnn arch;
    private final int classes;
    private final List<Conv2d> convs = new ArrayList<>();
    private final List<BatchNorm> norms = new ArrayList<>();
    private final Linear classifier;

    public PeerMacroCnn(MacroCnn arch, int classes) {
        this.arch = arch;
        this.classes = classes;
        for (int i = 0; i < arch.size(); i++) {
            MacroCnn.Layer l = arch.layer(i);
            convs.add(addChildBlock("conv" + i, Conv2d.builder()
                    .setKernelShape(new Shape(l.kh(), l.kw()))
                    .setFilters(l.filters())
                    .optStride(new Shape(l.stride(), l.stride()))
                    .optPadding(new Shape((l.kh() - 1) / 2, (l.kw() - 1) / 2))
                    .optBias(false)
                    .build()));
            // DJL's momentum weighs the old running value: 0.9 is PyTorch's (and our) 0.1
            norms.add(addChildBlock("bn" + i, BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build()));
        }
        classifier = addChildBlock("classifier", Linear.builder().setUnits(classes).optBias(true).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray images = inputs.singletonOrThrow(); // (N, C, H, W)
        List<NDArray> outputs = new ArrayList<>(arch.size());
        for (int i = 0; i < arch.size(); i++) {
            MacroCnn.Layer l = arch.layer(i);
            NDArray in = l.readsImage() ? images : join(l.inputs().stream().map(outputs::get).toList());
            NDArray y = convs.get(i).forward(ps, new NDList(in), training).singletonOrThrow();
            y = norms.get(i).forward(ps, new NDList(y), training).singletonOrThrow();
            outputs.add(Activation.relu(y));
        }
        NDArray joined = join(arch.unreadOutputs().stream().map(outputs::get).toList());
        Shape js = joined.getShape(); // (N, C, H, W): global average pooling as a mean over H*W (torch's mean takes one axis here)
        NDArray pooled = joined.reshape(new Shape(js.get(0), js.get(1), -1)).mean(new int[] {2}); // (N, C)
        return classifier.forward(ps, new NDList(pooled), training);
    }

    /**
     * The spec's join: each map zero-padded to the largest height and width (the odd row or column
     * at the bottom or right), then concatenated along channels in order.
     */
    static NDArray join(List<NDArray> maps) {
        if (maps.size() == 1) return maps.getFirst();
        long outH = 0, outW = 0;
        for (NDArray m : maps) {
            outH = Math.max(outH, m.getShape().get(2));
            outW = Math.max(outW, m.getShape().get(3));
        }
        NDList padded = new NDList(maps.size());
        for (NDArray m : maps) {
            long dh = outH - m.getShape().get(2), dw = outW - m.getShape().get(3);
            // pad amounts last dimension first, as torch's constant_pad_nd takes them
            padded.add(dh == 0 && dw == 0 ? m : m.pad(new Shape(dw / 2, dw - dw / 2, dh / 2, dh - dh / 2), 0));
        }
        return NDArrays.concat(padded, 1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        int c = Math.toIntExact(inputShapes[0].get(1));
        int[] cin = arch.inputChannels(c);
        int[] inH = arch.inputSizes(Math.toIntExact(inputShapes[0].get(2))), inW = arch.inputSizes(Math.toIntExact(inputShapes[0].get(3)));
        int[] outH = arch.outputSizes(Math.toIntExact(inputShapes[0].get(2))), outW = arch.outputSizes(Math.toIntExact(inputShapes[0].get(3)));
        for (int i = 0; i < arch.size(); i++) {
            convs.get(i).initialize(manager, dataType, new Shape(n, cin[i], inH[i], inW[i]));
            norms.get(i).initialize(manager, dataType, new Shape(n, arch.layer(i).filters(), outH[i], outW[i]));
        }
        classifier.initialize(manager, dataType, new Shape(n, arch.classifierChannels()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }
}
