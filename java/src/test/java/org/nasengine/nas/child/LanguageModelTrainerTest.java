package org.nasengine.nas.child;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.data.TokenDataset;
import org.nasengine.data.Vocabulary;
import org.nasengine.nn.Init;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/** Truncated BPTT training on synthetic streams: it learns, it stops on divergence, state carries over. */
class LanguageModelTrainerTest {
    private final JavaBackend be = new JavaBackend();

    @AfterEach
    void close() {
        be.close();
    }

    /** A stream whose next token follows from the current one: i -> (i + 3) mod vocab, with a random start per 16. */
    static int[] periodic(int length, int vocab, long seed) {
        var rng = Init.rng(seed);
        int[] s = new int[length];
        for (int i = 0; i < length; i++) s[i] = i % 16 == 0 ? rng.nextInt(vocab) : (s[i - 1] + 3) % vocab;
        return s;
    }

    @Test
    void windowsCutRowsAndCarryOn() {
        int[] stream = new int[23];
        for (int i = 0; i < stream.length; i++) stream[i] = i;
        BpttWindows w = new BpttWindows(stream, 2, 4); // rows 0..10 and 11..21; token 22 dropped
        assertEquals(3, w.count());                      // inputs 0..9 per row: windows of 4, 4, 2
        assertEquals(20, w.targets());
        BpttWindows.Window first = w.window(0), last = w.window(2);
        assertArrayEquals(new int[] {0, 1, 2, 3, 11, 12, 13, 14}, first.inputs());
        assertArrayEquals(new int[] {1, 2, 3, 4, 12, 13, 14, 15}, first.targets());
        assertEquals(2, last.steps());
        assertArrayEquals(new int[] {8, 9, 19, 20}, last.inputs());
        assertArrayEquals(new int[] {9, 10, 20, 21}, last.targets());
        assertThrows(IllegalArgumentException.class, () -> new BpttWindows(new int[3], 2, 4));
    }

    @Test
    void learnsAPredictableStreamAndReportsRewardAndThroughput() throws IOException {
        int vocab = 10;
        int[] train = periodic(1600, vocab, 1), valid = periodic(400, vocab, 2), test = periodic(400, vocab, 3);
        // the default recipe (SGD lr 1 on the loss summed over the window, clipping at 5, its init) on small batches
        LmTrainConfig cfg = LmTrainConfig.defaults().withBatch(4, 10).withEpochs(3).withTest(true);
        try (RnnLanguageModel lm = new RnnLanguageModel(RnnCellNetworkTest.gated(), vocab, 8, 0f, RnnLanguageModel.DEFAULT_INIT_RANGE, be, 5)) {
            double before = LanguageModelTrainer.perplexity(lm, valid, 4, 10);
            LmTrainResult r = LanguageModelTrainer.train(lm, train, valid, test, cfg);
            assertEquals("ok", r.status(), r.error());
            assertEquals(3, r.epochs());
            assertEquals(3 * 40, r.steps(), "1600 tokens in 4 rows of 400: 40 windows of 10 per epoch");
            assertEquals(3, r.valPerplexities().size());
            assertTrue(before > 0.7 * vocab, "an untrained model is near uniform: " + before);
            // 15 of every 16 tokens are determined by the one before: perplexity far under the vocabulary
            assertTrue(r.valPerplexity() < 2.5, "validation perplexity " + r.valPerplexities() + " (untrained " + before
                    + ", unigram " + unigramPerplexity(train, valid, vocab) + ")");
            assertTrue(r.testPerplexity() < 2.5, "test perplexity " + r.testPerplexity());
            assertEquals(80 / (r.valPerplexity() * r.valPerplexity()), r.reward(), 1e-12);
            assertTrue(r.trainTokensPerSec() > 0, "tokens/s " + r.trainTokensPerSec());
            assertTrue(lm.isTraining(), "the model is left in training mode");
        }
        try (RnnLanguageModel lm = new RnnLanguageModel(RnnCellNetworkTest.gated(), vocab, 8, 0.1f, 0.3f, be, 5)) {
            LmTrainResult adam = LanguageModelTrainer.train(lm, train, valid, null, cfg.withTest(false).withOptimizer("adam", 0.02f));
            assertEquals("ok", adam.status(), adam.error());
            assertTrue(adam.valPerplexity() < 2.5, "with Adam: validation perplexity " + adam.valPerplexities());
        }
    }

    /** exp of the mean loss on {@code valid} of the training split's word frequencies (add-one smoothed). */
    static double unigramPerplexity(int[] train, int[] valid, int vocab) {
        double[] counts = new double[vocab];
        for (int t : train) counts[t]++;
        double nll = 0;
        for (int t : valid) nll -= Math.log((counts[t] + 1) / (train.length + vocab));
        return Math.exp(nll / valid.length);
    }

    /**
     * Zaremba's convention: one update is lr times the gradient of the loss summed over the window's
     * steps and averaged over its rows, that is steps times the gradient of the per-token mean.
     */
    @Test
    void theRateAppliesToTheLossSummedOverTheWindow() throws IOException {
        int vocab = 7, rows = 3, steps = 5;
        int[] stream = periodic(rows * (steps + 1) + 2, vocab, 3);
        BpttWindows.Window first = new BpttWindows(stream, rows, steps).window(0);
        float lr = 0.01f;
        try (LstmLanguageModel lm = new LstmLanguageModel(vocab, 4, 0f, 0.3f, be, 2)) {
            List<float[]> before = new ArrayList<>(), meanGrads = new ArrayList<>();
            for (Tensor p : lm.parameters()) before.add(p.toArray());
            try (Scope s = Scope.open()) {
                Tensor logits = lm.forward(Tensor.ints(be, first.inputs(), rows, steps), lm.zeroState(rows)).logits();
                lm.zeroGrad();
                CrossEntropy.softmaxCrossEntropy(logits, Tensor.ints(be, first.targets(), rows * steps)).backward();
                for (Tensor p : lm.parameters()) meanGrads.add(p.gradToArray());
            }
            LmTrainConfig one = LmTrainConfig.defaults().withBatch(rows, steps).withOptimizer("sgd", lr).withClipNorm(0).withMaxSteps(1);
            LanguageModelTrainer.train(lm, stream, stream, null, one);
            for (int i = 0; i < before.size(); i++) {
                float[] after = lm.parameters().get(i).toArray();
                for (int j = 0; j < after.length; j++) {
                    float expected = before.get(i)[j] - lr * steps * meanGrads.get(i)[j];
                    assertEquals(expected, after[j], 1e-6 + 1e-4 * Math.abs(before.get(i)[j] - expected),
                            "parameter " + i + "[" + j + "]: lr * steps * d(mean loss)");
                }
            }
        }
    }

    /** The small recipe: lr 1 for four epochs, then halved each epoch. */
    @Test
    void theStepScheduleHalvesTheRateAfterFourEpochs() {
        LmTrainConfig cfg = LmTrainConfig.defaults();
        float[] rates = new float[7];
        for (int e = 0; e < rates.length; e++) rates[e] = LanguageModelTrainer.epochRate(cfg, e);
        assertArrayEquals(new float[] {1, 1, 1, 1, 0.5f, 0.25f, 0.125f}, rates);
        assertEquals(0.2f, LanguageModelTrainer.epochRate(cfg.withOptimizer("sgd", 0.2f).withDecay(1, 0), 9));
        assertEquals(0.3f, LanguageModelTrainer.epochRate(cfg.withOptimizer("sgd", 0.6f).withDecay(0.5f, 0), 0), 1e-7,
                "decay from the first epoch");
        assertThrows(IllegalArgumentException.class, () -> cfg.withDecay(1.5f, 4), "a decay above 1 would raise the rate");
    }

    @Test
    void maxStepsAndTokenSubsetsLimitTheWork() throws IOException {
        int[] train = periodic(1600, 10, 1), valid = periodic(400, 10, 2);
        LmTrainConfig cfg = LmTrainConfig.defaults().withBatch(4, 10).withTokens(400, 200).withMaxSteps(7).withEpochs(5);
        try (RnnLanguageModel lm = new RnnLanguageModel(RnnCellNetworkTest.refRnnA(), 10, 6, 0.2f, 0.1f, be, 5)) {
            LmTrainResult r = LanguageModelTrainer.train(lm, train, valid, null, cfg);
            assertEquals("ok", r.status(), r.error());
            // 400 tokens in 4 rows of 100: 10 windows an epoch, so 7 steps end inside epoch 0
            assertEquals(7, r.steps());
            assertEquals(1, r.epochs());
            assertEquals(1, r.valPerplexities().size());
            assertTrue(Double.isNaN(r.testPerplexity()));
        }
    }

    @Test
    void aNonFiniteLossStopsTrainingAtOnceWithoutThrowing() throws IOException {
        int[] train = periodic(800, 10, 1), valid = periodic(200, 10, 2);
        LmTrainConfig cfg = LmTrainConfig.defaults().withBatch(4, 10).withEpochs(2);
        try (RnnLanguageModel lm = new RnnLanguageModel(RnnCellNetworkTest.additive(), 10, 6, 0f, 0.5f, be, 5)) {
            float[] table = lm.embedding().table().toArray();
            java.util.Arrays.fill(table, Float.NaN);
            lm.embedding().table().set(table);
            LmTrainResult r = LanguageModelTrainer.train(lm, train, valid, null, cfg);
            assertEquals("diverged", r.status());
            assertEquals(0, r.steps(), "no update after the first non-finite loss");
            assertEquals(0, r.reward());
            assertTrue(Float.isNaN((float) r.lastLoss()));
            assertTrue(r.error().contains("training loss became NaN at step 0"), r.error());
        }
    }

    @Test
    void anExplodingRateEndsDivergedNotInAnException() throws IOException {
        int[] train = periodic(800, 10, 1), valid = periodic(200, 10, 2);
        // an absurd rate without clipping sends the weights to overflow: the loss or the validation goes non-finite
        LmTrainConfig cfg = LmTrainConfig.defaults().withBatch(4, 10).withOptimizer("sgd", 1e30f).withClipNorm(0).withEpochs(2)
                .withSchedule("constant");
        try (RnnLanguageModel lm = new RnnLanguageModel(RnnCellNetworkTest.additive(), 10, 6, 0f, 0.5f, be, 5)) {
            LmTrainResult r = LanguageModelTrainer.train(lm, train, valid, null, cfg);
            assertEquals("diverged", r.status(), () -> "perplexities " + r.valPerplexities());
            assertEquals(0, r.reward());
        }
    }

    @Test
    void stateCarriedAcrossWindowsGivesTheSamePerplexityAsOneLongWindow() throws IOException {
        int[] stream = periodic(240, 10, 4);
        try (RnnLanguageModel lm = new RnnLanguageModel(RnnCellNetworkTest.additive(), 10, 6, 0.5f, 0.4f, be, 2)) {
            double windows = LanguageModelTrainer.perplexity(lm, stream, 3, 7);
            double whole = LanguageModelTrainer.perplexity(lm, stream, 3, 1000);
            assertEquals(whole, windows, 1e-4 * whole, "windows of 7 with state carried vs one window");
            assertEquals(whole, LanguageModelTrainer.perplexity(lm, stream, 3, 1), 1e-4 * whole, "windows of one step");
            // the same windows of 7, each from a zero state, give another figure: the carried state matters
            BpttWindows cut = new BpttWindows(stream, 3, 7);
            double nll = 0;
            lm.eval();
            try (Tape.Guard g = Tape.noGrad()) {
                for (int w = 0; w < cut.count(); w++) {
                    try (Scope s = Scope.open()) {
                        BpttWindows.Window win = cut.window(w);
                        Tensor logits = lm.forward(Tensor.ints(be, win.inputs(), 3, win.steps()), lm.zeroState(3)).logits();
                        nll += CrossEntropy.perRow(logits, Tensor.ints(be, win.targets(), 3 * win.steps())).sum().item();
                    }
                }
            }
            lm.train();
            double reset = Math.exp(nll / cut.targets());
            assertTrue(Math.abs(reset - whole) > 1e-3 * whole, "zero state per window " + reset + " vs carried " + whole);
        }
    }

    /** Through the LanguageModel interface the trainer takes either model, on a corpus whose vocabulary must match. */
    @Test
    void trainsTheSearchedCellAndTheLstmAlike() {
        int vocab = 10;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < vocab; i++) words.add("w" + i);
        TokenDataset corpus = new TokenDataset("periodic", new Vocabulary(words), periodic(4800, vocab, 1), periodic(200, vocab, 2),
                periodic(200, vocab, 3));
        LmTrainConfig cfg = LmTrainConfig.defaults().withBatch(4, 10).withEpochs(2).withTest(true);
        float init = RnnLanguageModel.DEFAULT_INIT_RANGE;
        List<LanguageModel> models = List.of(new RnnLanguageModel(RnnCellNetworkTest.gated(), vocab, 16, 0.1f, init, be, 5),
                new LstmLanguageModel(vocab, 16, 0.1f, init, be, 5));
        for (LanguageModel lm : models) {
            try (lm) {
                double before = LanguageModelTrainer.perplexity(lm, corpus.validation(), 4, 10);
                List<Double> perEpoch = new ArrayList<>();
                LmTrainResult r = LanguageModelTrainer.train(lm, corpus, cfg, new LanguageModelTrainer.Listener() {
                    @Override
                    public void epoch(int epoch, double valPerplexity) {
                        perEpoch.add(valPerplexity);
                    }
                });
                String name = lm.getClass().getSimpleName();
                assertEquals("ok", r.status(), name + ": " + r.error());
                assertEquals(2 * 120, r.steps(), name);
                assertEquals(r.valPerplexities(), perEpoch, name + ": the listener sees each epoch's perplexity");
                assertTrue(r.valPerplexity() < 0.6 * before, name + ": validation " + r.valPerplexities() + " from " + before);
                assertTrue(Double.isFinite(r.testPerplexity()), name + ": test " + r.testPerplexity());
                assertTrue(lm.isTraining(), name + " is left in training mode");
                LanguageModel wrong = lm instanceof LstmLanguageModel ? new LstmLanguageModel(vocab + 1, 4, 0f, 0.3f, be, 1)
                        : new RnnLanguageModel(RnnCellNetworkTest.additive(), vocab + 1, 4, 0f, 0.3f, be, 1);
                try (wrong) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> LanguageModelTrainer.train(wrong, corpus, cfg, new LanguageModelTrainer.Listener() {}));
                    assertTrue(e.getMessage().contains("11"), e.getMessage());
                }
            }
        }
    }
}
