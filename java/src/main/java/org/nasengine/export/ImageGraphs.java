package org.nasengine.export;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nasengine.autograd.Join;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.JoinGeometry;
import org.nasengine.backend.PoolGeometry;
import org.nasengine.data.ChannelStats;
import org.nasengine.export.InferenceGraph.Add;
import org.nasengine.export.InferenceGraph.BatchNorm;
import org.nasengine.export.InferenceGraph.Concat;
import org.nasengine.export.InferenceGraph.Conv;
import org.nasengine.export.InferenceGraph.GlobalAvgPool;
import org.nasengine.export.InferenceGraph.Linear;
import org.nasengine.export.InferenceGraph.Normalize;
import org.nasengine.export.InferenceGraph.Op;
import org.nasengine.export.InferenceGraph.Pad;
import org.nasengine.export.InferenceGraph.Pool;
import org.nasengine.export.InferenceGraph.Relu;
import org.nasengine.export.InferenceGraph.Value;
import org.nasengine.export.InferenceGraph.Zeros;
import org.nasengine.nas.child.CellOp;
import org.nasengine.nas.child.ConvBnOp;
import org.nasengine.nas.child.IdentityOp;
import org.nasengine.nas.child.ImageNetwork;
import org.nasengine.nas.child.MacroCnnNetwork;
import org.nasengine.nas.child.NasNetCell;
import org.nasengine.nas.child.NasNetNetwork;
import org.nasengine.nas.child.Nb201Cell;
import org.nasengine.nas.child.Nb201Network;
import org.nasengine.nas.child.PoolOp;
import org.nasengine.nas.child.ResidualReductionBlock;
import org.nasengine.nas.child.SepConvOp;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nas.space.Nb201;
import org.nasengine.nn.BatchNorm2d;
import org.nasengine.nn.Conv2d;
import org.nasengine.tensor.Tensor;

/**
 * Builds the {@link InferenceGraph} of a built image network by walking its modules in the order
 * its forward pass runs them: the same modules, strides and joins (padding from
 * {@link Join#geometry}, the one place joins are decided), with weights named as in the saved file.
 */
public final class ImageGraphs {
    private final Map<Tensor, String> names = new IdentityHashMap<>();
    private final LinkedHashMap<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
    private final List<Op> ops = new ArrayList<>();
    private int next;

    private ImageGraphs(ImageNetwork net) {
        net.namedTensors().forEach((name, t) -> names.put(t, name));
    }

    /** The graph of {@code net} reading (channels, height, width) images normalised with {@code norm}. */
    public static InferenceGraph of(ImageNetwork net, ChannelStats norm, int channels, int height, int width) {
        if (norm.channels() != channels)
            throw new IllegalArgumentException("normalization of " + norm.channels() + " channels for images of " + channels);
        ImageGraphs g = new ImageGraphs(net);
        Value images = new Value("images", channels, height, width);
        g.tensors.put(NetworkWeights.NORM_MEAN, Safetensors.f32(norm.mean().clone(), channels));
        g.tensors.put(NetworkWeights.NORM_STD, Safetensors.f32(norm.std().clone(), channels));
        Value x = g.add(new Normalize(images, g.like(images), NetworkWeights.NORM_MEAN, NetworkWeights.NORM_STD));
        Value logits = switch (net) {
            case MacroCnnNetwork m -> g.macro(m, x);
            case NasNetNetwork n -> g.nasnet(n, x);
            case Nb201Network n -> g.nb201(n, x);
            default -> throw new IllegalArgumentException("no inference graph for " + net.getClass().getSimpleName());
        };
        return new InferenceGraph(images, logits, List.copyOf(g.ops), g.tensors);
    }

    private Value macro(MacroCnnNetwork net, Value image) {
        MacroCnn arch = net.architecture();
        List<Value> outputs = new ArrayList<>();
        for (int i = 0; i < arch.size(); i++) {
            MacroCnn.Layer l = arch.layer(i);
            Value in = l.readsImage() ? image : join(l.inputs().stream().map(outputs::get).toList());
            outputs.add(relu(batchNorm(net.norm(i), conv(net.conv(i), in))));
        }
        Value joined = join(arch.unreadOutputs().stream().map(outputs::get).toList());
        return linear(net.classifier(), gap(joined));
    }

    private Value nasnet(NasNetNetwork net, Value image) {
        Value s = batchNorm(net.stemNorm(), conv(net.stem(), image));
        Value twoBack = s, previous = s;
        for (NasNetCell cell : net.cells()) {
            Value out = cell(cell, twoBack, previous);
            twoBack = previous;
            previous = out;
        }
        return linear(net.classifier(), gap(previous));
    }

    private Value cell(NasNetCell cell, Value x0, Value x1) {
        List<Value> states = new ArrayList<>();
        states.add(cell.agree() == null ? x0 : op(cell.agree(), x0));
        states.add(x1);
        for (int b = 0; b < cell.blocks().size(); b++) {
            NasNet.Block block = cell.blocks().get(b);
            Value left = op(cell.op(b, 0), states.get(block.inputs().get(0)));
            Value right = op(cell.op(b, 1), states.get(block.inputs().get(1)));
            states.add(block.combine() == NasNet.Combine.ADD ? add(left, right) : concat(List.of(left, right)));
        }
        return concat(cell.unread().stream().map(b -> states.get(NasNet.CELL_INPUTS + b)).toList());
    }

    private Value nb201(Nb201Network net, Value image) {
        Value x = batchNorm(net.stemNorm(), conv(net.stem(), image));
        for (CellOp layer : net.layers()) x = op(layer, x);
        return linear(net.classifier(), gap(relu(batchNorm(net.lastNorm(), x))));
    }

    /** Any cell operation, NAS-Bench-201 cells and reduction blocks included. */
    private Value op(CellOp op, Value x) {
        return switch (op) {
            case IdentityOp i -> x;
            case ConvBnOp c -> {
                Value y = c.relu() ? relu(x) : x;
                for (Conv2d conv : c.convs()) y = conv(conv, y);
                yield batchNorm(c.norm(), y);
            }
            case SepConvOp s -> op(s.second(), op(s.first(), x));
            case PoolOp p -> {
                Value y = p.projection() == null ? x : op(p.projection(), x);
                yield pool(y, PoolGeometry.same(p.kind(), 1, y.c(), y.h(), y.w(), p.kernel(), p.stride()));
            }
            case Nb201Cell cell -> {
                Value[] nodes = new Value[Nb201.NODES];
                nodes[0] = x;
                for (int to = 1; to < Nb201.NODES; to++) {
                    Value sum = null;
                    for (int from = 0; from < to; from++) {
                        CellOp edge = cell.op(to, from);
                        if (edge == null) continue; // none adds nothing
                        Value y = op(edge, nodes[from]);
                        sum = sum == null ? y : add(sum, y);
                    }
                    nodes[to] = sum == null ? add(new Zeros(x, like(x))) : sum;
                }
                yield nodes[Nb201.NODES - 1];
            }
            case ResidualReductionBlock r -> {
                Value main = op(r.convB(), op(r.convA(), x));
                Value pooled = pool(x, r.shortcutPool(1, x.h(), x.w()));
                yield add(conv(r.shortcut(), pooled), main);
            }
            default -> throw new IllegalArgumentException("no inference graph for cell operation " + op.getClass().getSimpleName());
        };
    }

    // ---- one op each

    private Value conv(Conv2d conv, Value x) {
        int[] w = conv.weight().shape(); // (Cout, Cin/groups, KH, KW)
        ConvGeometry g = ConvGeometry.same(1, x.c(), x.h(), x.w(), w[0], w[2], w[3], conv.stride(), conv.dilation(), conv.groups());
        if (conv.bias() != null) throw new IllegalArgumentException("convolution with bias: not in any architecture here");
        Value out = value(w[0], g.outH(), g.outW());
        return add(new Conv(x, out, weight(conv.weight()), w[2], w[3], conv.stride(), g.padH(), g.padW(), conv.dilation(), conv.groups()));
    }

    private Value batchNorm(BatchNorm2d bn, Value x) {
        String prefix = prefix(bn.gamma(), "weight");
        weight(bn.gamma());
        weight(bn.beta());
        weight(bn.runningMean());
        weight(bn.runningVar());
        return add(new BatchNorm(x, like(x), prefix, bn.eps()));
    }

    private Value relu(Value x) {
        return add(new InferenceGraph.Relu(x, like(x)));
    }

    private Value add(Value a, Value b) {
        return add(new Add(a, b, like(a)));
    }

    private Value pool(Value x, PoolGeometry g) {
        return add(new Pool(x, value(x.c(), g.outH(), g.outW()), g.kind(), g.kh(), g.stride(), g.padH(), g.padW()));
    }

    private Value gap(Value x) {
        return add(new GlobalAvgPool(x, value(x.c(), 0, 0)));
    }

    private Value linear(org.nasengine.nn.Linear fc, Value x) {
        String prefix = prefix(fc.weight(), "weight");
        weight(fc.weight());
        weight(fc.bias());
        return add(new Linear(x, value(fc.weight().dim(0), 0, 0), prefix));
    }

    private Value concat(List<Value> in) {
        if (in.size() == 1) return in.getFirst();
        int c = in.stream().mapToInt(Value::c).sum();
        return add(new Concat(in, value(c, in.getFirst().h(), in.getFirst().w())));
    }

    /** The spec's join: each smaller input zero-padded to the largest size, then concatenated. */
    private Value join(List<Value> in) {
        if (in.size() == 1) return in.getFirst();
        JoinGeometry j = Join.geometry(in.stream().map(v -> new int[] {1, v.c(), v.h(), v.w()}).toList());
        List<Value> padded = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            Value v = in.get(i);
            if (v.h() == j.outH() && v.w() == j.outW()) {
                padded.add(v);
                continue;
            }
            int top = j.top(i), left = j.left(i);
            padded.add(add(new Pad(v, value(v.c(), j.outH(), j.outW()), top, j.outH() - v.h() - top, left, j.outW() - v.w() - left)));
        }
        return add(new Concat(padded, value(j.outChannels(), j.outH(), j.outW())));
    }

    // ---- bookkeeping

    private Value add(Op op) {
        ops.add(op);
        return op.out();
    }

    private Value value(int c, int h, int w) {
        return new Value("v" + next++, c, h, w);
    }

    private Value like(Value x) {
        return value(x.c(), x.h(), x.w());
    }

    /** The saved name of a module tensor, recorded with its values. */
    private String weight(Tensor t) {
        String name = names.get(t);
        if (name == null) throw new IllegalStateException("tensor " + t + " is not one of the network's");
        tensors.computeIfAbsent(name, n -> Safetensors.f32(t.toArray(), t.shape()));
        return name;
    }

    private String prefix(Tensor t, String leaf) {
        String name = weight(t);
        if (!name.endsWith("." + leaf)) throw new IllegalStateException(name + " is not a ." + leaf);
        return name.substring(0, name.length() - leaf.length() - 1);
    }
}
