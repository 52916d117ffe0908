package org.nasengine.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Backends;
import org.nasengine.data.ChannelStats;
import org.nasengine.export.ImageGraphs;
import org.nasengine.export.InferenceGraph;
import org.nasengine.export.NetworkWeights;
import org.nasengine.export.OnnxExporter;
import org.nasengine.export.PyTorchExporter;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.ImageNetwork;
import org.nasengine.nas.child.RnnLanguageModel;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.Lstm;
import org.nasengine.nas.space.RnnCell;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes a saved network for other frameworks: an ONNX inference graph or a PyTorch module. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a trained network (train --save, or a search's final.safetensors) as an ONNX model or a PyTorch module.")
public final class ExportCommand implements Callable<Integer> {
    /** The formats; picocli refuses any other name with the list of these. */
    enum Format { onnx, pytorch }

    @Option(names = "--arch", required = true, paramLabel = "FILE", description = "Architecture file the weights were trained for.")
    Path arch;

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "Weights (safetensors) written by train --save or a search.")
    Path weights;

    @Option(names = "--format", required = true, description = "onnx (inference graph, opset " + OnnxExporter.OPSET
            + ") or pytorch (a Python module that needs only torch).")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file (model.onnx, model.py).")
    Path out;

    @Override
    public Integer call() {
        Architecture a = Architectures.read(arch);
        if (a instanceof Lstm)
            throw new UserError(arch + " is an lstm language model: export covers the image spaces and rnn-cell (its baseline is "
                    + "torch.nn.LSTM itself)");
        SavedWeights.checkWritable(out);
        NetworkWeights.Saved saved = SavedWeights.peek(weights);
        try (Backend backend = Backends.open("java")) {
            String what = a instanceof RnnCell cell ? exportLanguageModel(cell, saved.metadata(), backend) : exportImage(a, saved, backend);
            System.err.printf("wrote %s (%s, %,d bytes)%n", out, what, Files.size(out));
            return 0;
        } catch (IOException e) {
            throw new UserError("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    private String exportImage(Architecture a, NetworkWeights.Saved saved, Backend backend) throws IOException {
        int[] chw;
        int classes;
        try {
            chw = saved.inputShape(weights);
            classes = saved.intValue(weights, "classes");
        } catch (org.nasengine.export.WeightsException e) {
            throw new UserError(e.getMessage(), e);
        }
        ChannelStats norm = saved.normalization();
        if (norm == null) throw new UserError(weights + ": tensor " + NetworkWeights.NORM_MEAN + " is missing (the input normalization)");
        try (ImageNetwork net = ChildBuilder.image(a, chw[0], chw[1], chw[2], classes, backend, 1)) {
            SavedWeights.loadModel(weights, net, a);
            InferenceGraph g = ImageGraphs.of(net, norm, chw[0], chw[1], chw[2]);
            Map<String, String> outMeta = exportMetadata(saved.metadata());
            if (format == Format.onnx) {
                OnnxExporter.write(g, outMeta, out);
                return "ONNX opset " + OnnxExporter.OPSET + ", " + g.ops().size() + " operations, input images (N, "
                        + chw[0] + ", " + chw[1] + ", " + chw[2] + ") in [0, 1]";
            }
            Files.writeString(out, PyTorchExporter.image(g, outMeta), StandardCharsets.UTF_8);
            return "PyTorch module, class Network, load(path)";
        }
    }

    private String exportLanguageModel(RnnCell cell, Map<String, String> meta, Backend backend) throws IOException {
        if (format == Format.onnx)
            throw new UserError("ONNX export covers the image spaces (macro-cnn, nasnet, nb201); for rnn-cell use --format pytorch");
        int vocab, hidden;
        try {
            vocab = Integer.parseInt(meta.getOrDefault("vocab", ""));
            hidden = Integer.parseInt(meta.getOrDefault("hidden", ""));
        } catch (NumberFormatException e) {
            throw new UserError(weights + ": no 'vocab' and 'hidden' metadata: not saved for an rnn-cell language model", e);
        }
        try (RnnLanguageModel model = new RnnLanguageModel(cell, vocab, hidden, 0f, RnnLanguageModel.DEFAULT_INIT_RANGE, backend, 1)) {
            SavedWeights.loadModel(weights, model, cell); // checks every tensor before anything is written
        }
        Files.writeString(out, PyTorchExporter.rnnCell(cell, vocab, hidden, RnnLanguageModel.LAYERS, exportMetadata(meta)),
                StandardCharsets.UTF_8);
        return "PyTorch module, class Network, load(path); vocab " + vocab + ", hidden " + hidden;
    }

    private Map<String, String> exportMetadata(Map<String, String> meta) {
        Map<String, String> m = new LinkedHashMap<>(meta);
        m.put("weights", weights.getFileName().toString());
        return m;
    }
}
