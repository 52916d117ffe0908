package org.nasengine.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.nasengine.backend.PoolGeometry;
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
import org.nasengine.export.InferenceGraph.Zeros;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.RnnCell;

/**
 * A self-contained Python module (needs only torch) with a {@code torch.nn.Module} class
 * {@code Network} for one architecture, whose {@code state_dict} names are the safetensors names,
 * a safetensors reader and {@code load(path)}. Image networks are written from their
 * {@link InferenceGraph}: nn.Conv2d / nn.BatchNorm2d / nn.Linear modules placed under their saved
 * names, and a straight-line forward that takes float32 (N, C, H, W) images in [0, 1] and
 * normalises them with the buffers {@code normalize.mean} / {@code normalize.std}. An rnn-cell
 * language model is a fixed class reading the cell tree from the embedded architecture.
 */
public final class PyTorchExporter {
    private PyTorchExporter() {}

    /** The module of an image network. */
    public static String image(InferenceGraph g, Map<String, String> metadata) {
        StringBuilder py = new StringBuilder(header(metadata, """
                Input: float32 images (N, %d, %d, %d), pixel values in [0, 1] (the normalization is inside).
                Output: logits (N, %d).

                    import torch, this_module as m
                    net = m.load("final.safetensors")   # Network() with the file's weights, in eval mode
                    with torch.no_grad():
                        logits = net(images)
                """.formatted(g.input().c(), g.input().h(), g.input().w(), g.output().c())));
        py.append("INPUT_SHAPE = (%d, %d, %d)\nCLASSES = %d\n\n".formatted(g.input().c(), g.input().h(), g.input().w(), g.output().c()));
        py.append(resource("pytorch_runtime.py")).append("\n\n");
        py.append("class Network(nn.Module):\n");
        py.append("    def __init__(self):\n        super().__init__()\n        m = self._m = {}\n");
        py.append("        norm = _place(self, \"normalize\", nn.Module())\n");
        py.append("        norm.register_buffer(\"mean\", torch.zeros(%d))\n".formatted(g.input().c()));
        py.append("        norm.register_buffer(\"std\", torch.ones(%d))\n".formatted(g.input().c()));
        Map<String, String> modules = new LinkedHashMap<>();
        for (Op op : g.ops()) {
            switch (op) {
                case Conv c -> {
                    int[] w = g.tensor(c.weight()).shape();
                    String prefix = c.weight().substring(0, c.weight().length() - ".weight".length());
                    modules.put(prefix, "nn.Conv2d(%d, %d, (%d, %d), stride=%d, padding=(%d, %d), dilation=%d, groups=%d, bias=False)"
                            .formatted(c.in().c(), w[0], c.kh(), c.kw(), c.stride(), c.padH(), c.padW(), c.dilation(), c.groups()));
                }
                case BatchNorm b -> modules.put(b.prefix(), "nn.BatchNorm2d(%d, eps=%s)".formatted(b.in().c(), floatLiteral(b.eps())));
                case Linear l -> modules.put(l.prefix(), "nn.Linear(%d, %d)".formatted(l.in().c(), l.out().c()));
                default -> { }
            }
        }
        modules.forEach((name, ctor) -> py.append("        m[\"%s\"] = _place(self, \"%s\", %s)\n".formatted(name, name, ctor)));
        py.append("\n    def forward(self, images):\n        m = self._m\n");
        for (Op op : g.ops()) py.append("        ").append(line(op)).append('\n');
        py.append("        return ").append(g.output().name()).append("\n");
        return py.toString();
    }

    private static String line(Op op) {
        String out = op.out().name() + " = ";
        return out + switch (op) {
            case Normalize n -> "(%s - self.normalize.mean.view(1, -1, 1, 1)) / self.normalize.std.view(1, -1, 1, 1)".formatted(n.in().name());
            case Conv c -> "m[\"%s\"](%s)".formatted(c.weight().substring(0, c.weight().length() - ".weight".length()), c.in().name());
            case BatchNorm b -> "m[\"%s\"](%s)".formatted(b.prefix(), b.in().name());
            case Relu r -> "torch.relu(%s)".formatted(r.in().name());
            case Add a -> "%s + %s".formatted(a.a().name(), a.b().name());
            case Pad p -> "F.pad(%s, (%d, %d, %d, %d))".formatted(p.in().name(), p.left(), p.right(), p.top(), p.bottom());
            case Concat c -> "torch.cat([%s], 1)".formatted(c.in().stream().map(InferenceGraph.Value::name).collect(Collectors.joining(", ")));
            case Pool p -> p.kind() == PoolGeometry.Kind.MAX
                    ? "F.max_pool2d(%s, %d, %d, (%d, %d))".formatted(p.in().name(), p.kernel(), p.stride(), p.padH(), p.padW())
                    : "F.avg_pool2d(%s, %d, %d, (%d, %d), count_include_pad=False)".formatted(p.in().name(), p.kernel(), p.stride(),
                            p.padH(), p.padW());
            case GlobalAvgPool gap -> "%s.mean((2, 3))".formatted(gap.in().name());
            case Linear l -> "m[\"%s\"](%s)".formatted(l.prefix(), l.in().name());
            case Zeros z -> "torch.zeros_like(%s)".formatted(z.like().name());
        };
    }

    /** The module of an rnn-cell language model of this vocabulary and hidden size. */
    public static String rnnCell(RnnCell cell, int vocab, int hidden, int layers, Map<String, String> metadata) {
        StringBuilder py = new StringBuilder(header(metadata, """
                A two-layer language model around the searched cell: token ids int64 (N, T) in,
                logits (N, T, %d) and the recurrent state out (pass it back in to continue a text).

                    import torch, this_module as m
                    net = m.load("final.safetensors")
                    with torch.no_grad():
                        logits, state = net(ids)
                """.formatted(vocab)));
        py.append("ARCH = json.loads(r'''%s''')\nVOCAB = %d\nHIDDEN = %d\nLAYERS = %d\n\n"
                .formatted(ArchitectureCodec.toCompactJson(cell), vocab, hidden, layers));
        py.append(resource("pytorch_runtime.py")).append("\n\n").append(resource("pytorch_rnn.py"));
        return py.toString();
    }

    private static String header(Map<String, String> metadata, String usage) {
        List<String> meta = new ArrayList<>();
        metadata.forEach((k, v) -> meta.add(k + ": " + v));
        return "\"\"\"Exported by nas-engine (export --format pytorch). Needs nothing but torch.\n\n" + usage + "\n"
                + String.join("\n", meta).replace("\\", "\\\\").replace("\"\"\"", "'''") + "\n\"\"\"\n"
                + "import json\nimport struct\n\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n";
    }

    private static String floatLiteral(float f) {
        return String.format(Locale.ROOT, "%s", Float.toString(f)).replace("E", "e");
    }

    private static String resource(String name) {
        try (InputStream in = PyTorchExporter.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("resource " + name + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
