package org.nasengine.nas.child;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.child.RnnCellNetwork.State;
import org.nasengine.nn.Module;
import org.nasengine.tensor.Tensor;

/**
 * train_tokens_per_sec counts the timed training windows alone: the model moves a fake clock by a
 * little per training window and by a lot per evaluation window, and the rates must come out exact.
 */
class LanguageModelTrainerRateTest {
    private static final long TRAIN_WINDOW_NANOS = 1_000_000;       // 1 ms
    private static final long EVAL_WINDOW_NANOS = 1_000_000_000;    // 1 s

    private final JavaBackend be = new JavaBackend();

    @AfterEach
    void close() {
        be.close();
    }

    /** A real model whose forward also moves the clock, by mode. */
    private record Clocked(LanguageModel model, FakeClock clock) implements LanguageModel {
        @Override
        public Output forward(Tensor ids, List<State> state) {
            clock.advance(model.isTraining() ? TRAIN_WINDOW_NANOS : EVAL_WINDOW_NANOS);
            return model.forward(ids, state);
        }

        @Override public List<State> zeroState(int n) { return model.zeroState(n); }
        @Override public int vocab() { return model.vocab(); }
        @Override public int hidden() { return model.hidden(); }
        @Override public Module module() { return model.module(); }
        @Override public List<Tensor> parameters() { return model.parameters(); }
        @Override public long parameterCount() { return model.parameterCount(); }
        @Override public Module train(boolean on) { return model.train(on); }
        @Override public Module train() { return model.train(); }
        @Override public Module eval() { return model.eval(); }
        @Override public boolean isTraining() { return model.isTraining(); }
        @Override public void close() { model.close(); }
    }

    @Test
    void trainingRateLeavesOutEvaluationAndWarmUp() {
        int vocab = 10;
        int[] train = LanguageModelTrainerTest.periodic(400, vocab, 1), valid = LanguageModelTrainerTest.periodic(200, vocab, 2),
                test = LanguageModelTrainerTest.periodic(200, vocab, 3);
        // train: 4 rows of 100, 10 windows of 10 (the last of 9); evaluation: 4 rows of 50, 5 windows (the last of 9)
        LmTrainConfig cfg = LmTrainConfig.defaults().withBatch(4, 10).withEpochs(2).withTest(true);
        FakeClock clock = new FakeClock();
        try (Clocked lm = new Clocked(new RnnLanguageModel(RnnCellNetworkTest.gated(), vocab, 8, 0f,
                RnnLanguageModel.DEFAULT_INIT_RANGE, be, 5), clock)) {
            LmTrainResult r = LanguageModelTrainer.train(lm, train, valid, test, cfg, new LanguageModelTrainer.Listener() {},
                    clock);
            assertEquals("ok", r.status(), r.error());
            assertEquals(20, r.steps());
            // the two warm-up windows (of 10 steps) left out, 18 are timed: epoch 1's windows 3 to 10, all of epoch 2;
            // each epoch's last window is 9 steps long
            long timedTokens = 4L * ((7 * 10 + 9) + (9 * 10 + 9));
            assertEquals(timedTokens / (18 * TRAIN_WINDOW_NANOS / 1e9), r.trainTokensPerSec(), 1e-6,
                    "the training rate must not include the evaluation passes");
            // two validation passes and one test pass, each predicting 4 * 49 tokens in 5 windows
            assertEquals(3 * 4 * 49 / (3 * 5 * EVAL_WINDOW_NANOS / 1e9), r.evalTokensPerSec(), 1e-9);
        }
    }
}
