package org.nasengine.nas.child;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.child.RnnCellNetwork.State;
import org.nasengine.nn.LstmCell;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/** The plain LSTM baseline: its parameter count, its batched layer run, and that the trainer teaches it. */
class LstmLanguageModelTest {
    private final JavaBackend be = new JavaBackend();

    @AfterEach
    void close() {
        be.close();
    }

    @Test
    void parameterCountFollowsTheFormulaAndTheHiddenSizeMatchesACount() throws Exception {
        try (LstmLanguageModel lm = new LstmLanguageModel(13, 6, 0.5f, 0.1f, be, 1)) {
            // embedding 13*6, per layer Wx 24*6 + Wh 24*6 + b 24, softmax 6*13 + 13
            long expected = 13 * 6 + 2 * (24 * 6 + 24 * 6 + 24) + 6 * 13 + 13;
            assertEquals(expected, lm.parameterCount());
            assertEquals(expected, LstmLanguageModel.parameterCount(13, 6));
        }
        // exact counts come back exactly, over the sizes the bench uses too
        for (int h : new int[] {1, 7, 188, 650})
            assertEquals(h, LstmLanguageModel.hiddenForParams(10_000, LstmLanguageModel.parameterCount(10_000, h)), "hidden " + h);
        // a count between two sizes gives the nearer one
        long at100 = LstmLanguageModel.parameterCount(10_000, 100), at101 = LstmLanguageModel.parameterCount(10_000, 101);
        assertEquals(100, LstmLanguageModel.hiddenForParams(10_000, at100 + (at101 - at100) / 3));
        assertEquals(101, LstmLanguageModel.hiddenForParams(10_000, at101 - (at101 - at100) / 3));
        // matching ref-rnn-a (base 2) at hidden 200 on PTB's 10k words: within half a step of the LSTM count
        long target = RnnLanguageModel.parameterCount(RnnCellNetworkTest.refRnnA(), 10_000, 200);
        int h = LstmLanguageModel.hiddenForParams(10_000, target);
        long step = LstmLanguageModel.parameterCount(10_000, h + 1) - LstmLanguageModel.parameterCount(10_000, h);
        assertTrue(Math.abs(LstmLanguageModel.parameterCount(10_000, h) - target) <= step / 2 + 1,
                "hidden " + h + " gives " + LstmLanguageModel.parameterCount(10_000, h) + " for " + target);
        assertThrows(IllegalArgumentException.class, () -> LstmLanguageModel.hiddenForParams(10_000, 1000));
    }

    /** The layer's one-matmul input projection gives what LstmCell.forward gives step by step. */
    @Test
    void aWindowEqualsStepwiseLstmCells() {
        int vocab = 9, hidden = 5, n = 3, steps = 4;
        int[] ids = new int[n * steps];
        for (int i = 0; i < ids.length; i++) ids[i] = (5 * i + 2) % vocab;
        try (LstmLanguageModel lm = new LstmLanguageModel(vocab, hidden, 0.5f, 0.4f, be, 3);
             Tape.Guard g = Tape.noGrad(); Scope s = Scope.open()) {
            lm.eval(); // no dropout: the reference below has none
            List<State> start = lm.zeroState(n);
            float[] init = new float[n * hidden];
            for (int i = 0; i < init.length; i++) init[i] = 0.1f * (i % 7) - 0.3f;
            start.set(1, new State(Tensor.of(be, init, n, hidden), Tensor.of(be, init, n, hidden)));
            LanguageModel.Output out = lm.forward(Tensor.ints(be, ids, n, steps), start);
            assertArrayEquals(new int[] {n * steps, vocab}, out.logits().shape());

            // reference: embed each step's tokens, run both cells one step at a time, softmax per step
            float[] expected = new float[n * steps * vocab]; // (N*T, vocab), rows (n, t)
            org.nasengine.autograd.LstmCell.State[] st = new org.nasengine.autograd.LstmCell.State[2];
            for (int l = 0; l < 2; l++) st[l] = new org.nasengine.autograd.LstmCell.State(start.get(l).c(), start.get(l).h());
            for (int t = 0; t < steps; t++) {
                int[] col = new int[n];
                for (int r = 0; r < n; r++) col[r] = ids[r * steps + t];
                Tensor x = lm.embedding().forward(Tensor.ints(be, col, n)); // (N, H)
                for (int l = 0; l < 2; l++) {
                    LstmCell cell = lm.layer(l);
                    st[l] = cell.forward(x, st[l]);
                    x = st[l].h();
                }
                float[] logits = lm.softmax().forward(x).toArray(); // (N, vocab)
                for (int r = 0; r < n; r++) System.arraycopy(logits, r * vocab, expected, (r * steps + t) * vocab, vocab);
            }
            assertClose(expected, out.logits().toArray(), "logits (N*T, vocab)");
            for (int l = 0; l < 2; l++) {
                assertClose(st[l].h().toArray(), out.state().get(l).h().toArray(), "layer " + l + " h (N, H)");
                assertClose(st[l].c().toArray(), out.state().get(l).c().toArray(), "layer " + l + " c (N, H)");
            }
        }
    }

    @Test
    void theTrainerTeachesItAPredictableStream() throws Exception {
        int vocab = 10;
        // the default recipe, its init U(-0.1, 0.1) included: at 16 units that init is small, and the
        // model needs about 100 updates to leave the uniform plateau (as the 200-unit one does on ptb)
        int[] train = LanguageModelTrainerTest.periodic(4800, vocab, 1), valid = LanguageModelTrainerTest.periodic(400, vocab, 2);
        LmTrainConfig cfg = LmTrainConfig.defaults().withBatch(4, 10).withEpochs(3);
        try (LstmLanguageModel lm = new LstmLanguageModel(vocab, 16, 0f, RnnLanguageModel.DEFAULT_INIT_RANGE, be, 5)) {
            double before = LanguageModelTrainer.perplexity(lm, valid, 4, 10);
            LmTrainResult r = LanguageModelTrainer.train(lm, train, valid, null, cfg);
            assertEquals("ok", r.status(), r.error());
            assertEquals(3 * 120, r.steps());
            assertTrue(before > 0.7 * vocab, "an untrained model is near uniform: " + before);
            // 15 of every 16 tokens follow from the one before: far below what word frequencies alone give
            double unigram = LanguageModelTrainerTest.unigramPerplexity(train, valid, vocab);
            assertTrue(unigram > 0.9 * vocab, "the stream's words are about equally frequent: " + unigram);
            assertTrue(r.valPerplexity() < 0.25 * unigram, "validation perplexity " + r.valPerplexities() + " (untrained " + before
                    + ", unigram " + unigram + ")");
            assertTrue(r.trainPerplexity() < 3, "train perplexity " + r.trainPerplexity());
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        StringBuilder bad = new StringBuilder();
        int misses = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(actual[i] - expected[i]) <= 1e-5f + 1e-4f * Math.abs(expected[i])) continue;
            if (misses++ < 5) bad.append(" [").append(i).append("] ").append(actual[i]).append(" vs ").append(expected[i]);
        }
        if (misses > 0) fail(what + ": " + misses + " of " + expected.length + " differ:" + bad);
    }
}
