package org.nasengine.nas.child;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.space.RnnCell;
import org.nasengine.nas.space.RnnCell.Activation;
import org.nasengine.nas.space.RnnCell.Combine;
import org.nasengine.nn.Embedding;
import org.nasengine.nn.Init;

/** The tree-cell initialization: leaf operands brought to RMS 1, dead ones left alone, and a cell of products that then learns. */
class LeafScalingTest {
    private final JavaBackend be = new JavaBackend();

    @AfterEach
    void close() {
        be.close();
    }

    @Test
    void leafOperandsOfEveryLayerComeToUnitScale() throws Exception {
        int vocab = 50, hidden = 24;
        float init = RnnLanguageModel.DEFAULT_INIT_RANGE;
        var rng = Init.rng(3);
        RnnCell cell = RnnCellNetworkTest.refRnnA();
        try (Embedding emb = new Embedding(be, rng, vocab, hidden, init);
             RnnCellNetwork l0 = new RnnCellNetwork(cell, hidden, hidden, be, rng, init);
             RnnCellNetwork l1 = new RnnCellNetwork(cell, hidden, hidden, be, rng, init)) {
            List<RnnCellNetwork> layers = List.of(l0, l1);
            // as drawn: an embedding of U(-0.1, 0.1) through weights of U(-0.1, 0.1) gives W x near 0.03
            double[][] drawn = LeafScaling.measure(emb, layers, vocab, 7).getFirst();
            for (double rms : drawn[0]) assertTrue(rms < 0.1, "layer 0 W x + b as drawn: " + Arrays.toString(drawn[0]));
            float[] bias = l0.b().toArray();
            LeafScaling.apply(emb, layers, vocab, 7);
            List<double[][]> scaled = LeafScaling.measure(emb, layers, vocab, 7);
            for (int l = 0; l < 2; l++)
                for (int op = 0; op < 2; op++)
                    for (double rms : scaled.get(l)[op])
                        assertEquals(1.0, rms, 0.1, "layer " + l + (op == 0 ? " W x + b" : " U h") + ": " + Arrays.toString(scaled.get(l)[op]));
            assertArrayEquals(bias, l0.b().toArray(), "biases are left as drawn");
        }
    }

    /** Every leaf multiplies by U h and h starts at 0, so h stays 0 whatever the weights: U h cannot be scaled. */
    @Test
    void anOperandThatIsAlwaysZeroIsLeftAsDrawn() {
        RnnCell.Node mult = new RnnCell.Node(Combine.ELEM_MULT, Activation.TANH);
        RnnCell dead = new RnnCell(2, List.of(mult, mult, mult), mult, 0, 2);
        var rng = Init.rng(4);
        try (Embedding emb = new Embedding(be, rng, 20, 8, 0.1f); RnnCellNetwork layer = new RnnCellNetwork(dead, 8, 8, be, rng, 0.1f)) {
            float[] u = layer.u().toArray(), w = layer.w().toArray();
            LeafScaling.apply(emb, List.of(layer), 20, 1);
            assertArrayEquals(u, layer.u().toArray(), "U of a cell whose h stays 0");
            assertFalse(Arrays.equals(w, layer.w().toArray()), "W x + b is alive and scaled");
            double[][] rms = LeafScaling.measure(emb, List.of(layer), 20, 1).getFirst();
            assertEquals(0, rms[1][0]);
            assertTrue(Double.isFinite(rms[0][0]) && Math.abs(rms[0][0] - 1) < 0.05, Arrays.toString(rms[0]));
        }
    }

    /**
     * The root multiplies two tanh leaves. Drawn from U(-0.1, 0.1) each leaf is near 0.05 and the
     * product near 0.0025: the model stays at the uniform perplexity. Scaled, the default recipe
     * teaches it the stream.
     */
    @Test
    void aCellOfProductsLearnsUnderTheDefaultRecipeOnlyWhenScaled() throws Exception {
        int vocab = 10;
        int[] train = LanguageModelTrainerTest.periodic(1600, vocab, 1), valid = LanguageModelTrainerTest.periodic(400, vocab, 2);
        LmTrainConfig cfg = LmTrainConfig.defaults().withBatch(4, 10).withEpochs(3);
        float init = RnnLanguageModel.DEFAULT_INIT_RANGE;
        double unigram = LanguageModelTrainerTest.unigramPerplexity(train, valid, vocab);
        try (RnnLanguageModel scaled = new RnnLanguageModel(RnnCellNetworkTest.products(), vocab, 16, 0f, init, be, 5);
             RnnLanguageModel drawn = new RnnLanguageModel(RnnCellNetworkTest.products(), vocab, 16, 0f, init, be, 5)) {
            var rng = Init.rng(100);
            for (int l = 0; l < RnnLanguageModel.LAYERS; l++) { // undo the scaling: the cell weights as a plain U(-0.1, 0.1) draw
                RnnCellNetwork layer = drawn.layer(l);
                layer.w().set(Init.uniform(rng, init, (int) layer.w().size()));
                layer.u().set(Init.uniform(rng, init, (int) layer.u().size()));
            }
            LmTrainResult s = LanguageModelTrainer.train(scaled, train, valid, null, cfg);
            LmTrainResult d = LanguageModelTrainer.train(drawn, train, valid, null, cfg);
            assertEquals("ok", s.status(), s.error());
            assertTrue(s.valPerplexity() < 0.25 * unigram, "scaled: " + s.valPerplexities() + ", unigram " + unigram);
            assertTrue(d.valPerplexity() > 0.8 * unigram, "as drawn the products vanish: " + d.valPerplexities() + ", unigram " + unigram);
        }
    }
}
