package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.nasengine.nas.child.LstmLanguageModel;
import org.nasengine.nas.child.RnnLanguageModel;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.Lstm;
import org.nasengine.nas.space.RnnCell;

/** {@code describe} of a language model: parameters and multiply-add FLOPs per token, by layer, without building it. */
final class LanguageModelSummary {
    private LanguageModelSummary() {}

    /** Prints the table and one JSON line; {@code hidden} sizes an rnn-cell model (0: the medium budget). */
    static int print(Architecture arch, int vocab, int hidden) {
        String layer;
        int h, layers;
        long layerParams;
        double layerFlops; // per token, all recurrent layers: 2 flops per multiply-add
        switch (arch) {
            case RnnCell cell -> {
                h = hidden > 0 ? hidden : RnnLanguageModel.hiddenForBudget(cell, vocab, RnnLanguageModel.mediumBudget(vocab));
                layers = RnnLanguageModel.LAYERS;
                layer = "rnn-cell (base " + cell.base() + ", hidden " + h + ")";
                layerParams = RnnLanguageModel.parameterCount(cell, vocab, h) - embeddingAndSoftmax(vocab, h);
                layerFlops = layers * 2.0 * cell.base() * (2.0 * h * h); // each leaf's W x and U h
            }
            case Lstm lstm -> {
                if (hidden != 0 && hidden != lstm.hidden())
                    throw new UserError("--hidden " + hidden + " differs from the lstm architecture's own hidden size (" + lstm.hidden() + ")");
                h = lstm.hidden();
                layers = lstm.layers();
                layer = "lstm (hidden " + h + ")";
                layerParams = LstmLanguageModel.parameterCount(layers, vocab, h) - embeddingAndSoftmax(vocab, h);
                layerFlops = layers * 2.0 * (8.0 * h * h); // four gates, input and recurrent weights
            }
            default -> throw new IllegalArgumentException(arch.space() + " is not a language model");
        }
        long params = layerParams + embeddingAndSoftmax(vocab, h);
        double flops = layerFlops + 2.0 * h * vocab;
        System.out.printf("%-40s %12s %16s%n", "layer", "params", "flops/token");
        System.out.printf("%-40s %,12d %16s%n", "embedding " + vocab + "x" + h, (long) vocab * h, "-");
        System.out.printf("%-40s %,12d %,16.0f%n", layers + " x " + layer, layerParams, layerFlops);
        System.out.printf("%-40s %,12d %,16.0f%n", "softmax " + h + "x" + vocab, (long) h * vocab + vocab, 2.0 * h * vocab);
        ObjectNode out = Json.object();
        out.put("params", params);
        out.put("hidden", h);
        out.put("flops_per_example", flops);
        System.out.println(Json.line(out));
        return 0;
    }

    private static long embeddingAndSoftmax(int vocab, int h) {
        return (long) vocab * h + (long) h * vocab + vocab;
    }
}
