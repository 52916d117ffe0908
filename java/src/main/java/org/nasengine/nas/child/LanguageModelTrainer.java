package org.nasengine.nas.child;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.backend.AdamConfig;
import org.nasengine.backend.Backend;
import org.nasengine.backend.DeviceOutOfMemoryException;
import org.nasengine.backend.SgdConfig;
import org.nasengine.data.TokenDataset;
import org.nasengine.nas.child.RnnCellNetwork.State;
import org.nasengine.optim.Adam;
import org.nasengine.optim.GradClip;
import org.nasengine.optim.LrSchedule;
import org.nasengine.optim.Optimizer;
import org.nasengine.optim.Sgd;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * Trains any {@link LanguageModel} (a searched-cell child, the LSTM baseline) with truncated
 * backpropagation through time and measures its perplexity. The objective of a window is the
 * cross-entropy summed over its time steps and averaged over its rows, as in Zaremba et al. (see
 * {@link LmTrainConfig}); reported losses and perplexities are per token. Each window runs in its
 * own {@link Scope}; the recurrent state is carried to the next window as a copy outside the
 * scope, so the gradient stops at the window's edge (detached) while the values flow on. A non-finite loss stops training at once with status
 * {@code diverged}; running out of memory gives {@code out_of_memory}; neither throws.
 */
public final class LanguageModelTrainer {

    /** Progress callbacks, on the training thread. */
    public interface Listener {
        default void step(int epoch, long step, long stepsTotal, float loss, double tokensPerSec) {}
        default void epoch(int epoch, double valPerplexity) {}
    }

    private static final Listener SILENT = new Listener() {};

    private LanguageModelTrainer() {}

    /** Trains on a corpus's train split, measures on its validation (and, if asked, test) split. */
    public static LmTrainResult train(LanguageModel model, TokenDataset corpus, LmTrainConfig cfg, Listener listener) {
        if (corpus.vocabulary().size() != model.vocab())
            throw new IllegalArgumentException("corpus " + corpus.name() + " has " + corpus.vocabulary().size()
                    + " words but the model's softmax covers " + model.vocab());
        return train(model, corpus.train(), corpus.validation(), corpus.test(), cfg, listener);
    }

    public static LmTrainResult train(LanguageModel model, int[] train, int[] validation, int[] test, LmTrainConfig cfg) {
        return train(model, train, validation, test, cfg, SILENT);
    }

    /**
     * Trains on {@code train} and measures perplexity on {@code validation} after each epoch (and
     * when {@code maxSteps} cuts an epoch short). {@code test} may be null unless {@code cfg.test()}.
     */
    public static LmTrainResult train(LanguageModel model, int[] train, int[] validation, int[] test,
                                      LmTrainConfig cfg, Listener listener) {
        return train(model, train, validation, test, cfg, listener, System::nanoTime);
    }

    /**
     * {@code clock} (nanoseconds) times the training windows and the evaluation passes apart: the
     * training rate covers the windows after the warm-up alone, the evaluation rate the validation
     * and test passes.
     */
    static LmTrainResult train(LanguageModel model, int[] train, int[] validation, int[] test,
                               LmTrainConfig cfg, Listener listener, LongSupplier clock) {
        if (cfg.test() && test == null) throw new IllegalArgumentException("test perplexity asked for but no test stream given");
        BpttWindows windows = new BpttWindows(subset(train, cfg.trainTokens()), cfg.batch(), cfg.bptt());
        int[] valTokens = subset(validation, cfg.evalTokens());
        new BpttWindows(valTokens, cfg.evalBatch(), cfg.bptt()); // fail on a too-short stream before any training
        long perEpoch = windows.count();
        long total = cfg.maxSteps() > 0 ? Math.min(cfg.maxSteps(), perEpoch * cfg.epochs()) : perEpoch * cfg.epochs();
        LrSchedule cosine = cfg.schedule().equals("cosine") ? LrSchedule.cosine(cfg.lr(), 0f, (int) Math.max(1, total)) : null;

        Backend be = model.parameters().getFirst().backend();
        List<Double> vals = new ArrayList<>();
        Throughput trainRate = Throughput.training(clock, total), evalRate = Throughput.evaluation(clock);
        long step = 0;
        float loss = Float.NaN;
        double trainPpl = Double.NaN;
        int epoch = 0;
        List<State> state = null;
        model.train();
        try (Optimizer opt = cfg.optimizer().equals("adam")
                ? new Adam(model.parameters(), AdamConfig.defaults())
                : new Sgd(model.parameters(), new SgdConfig(0f, 0f, false))) {
            while (epoch < cfg.epochs() && step < total) {
                close(state);
                state = model.zeroState(cfg.batch()); // no scope is open: these live until closed
                double epochLoss = 0;
                long epochWindows = 0;
                for (int w = 0; w < windows.count() && step < total; w++) {
                    trainRate.start();
                    BpttWindows.Window win = windows.window(w);
                    float lr = cosine != null ? cosine.at((int) step) : epochRate(cfg, epoch);
                    List<State> next;
                    try (Scope s = Scope.open()) {
                        Tensor ids = Tensor.ints(be, win.inputs(), cfg.batch(), win.steps());          // (N, T)
                        Tensor targets = Tensor.ints(be, win.targets(), cfg.batch() * win.steps());   // (N*T)
                        LanguageModel.Output out = model.forward(ids, state);
                        Tensor l = CrossEntropy.softmaxCrossEntropy(out.logits(), targets); // per-token mean, (1)
                        opt.zeroGrad();
                        // the recipe's objective: summed over the window's steps, averaged over the rows
                        l.scale(win.steps()).backward();
                        loss = l.item();
                        if (!Float.isFinite(loss))
                            return new LmTrainResult("diverged", "training loss became " + loss + " at step " + step
                                    + " (epoch " + epoch + ")", epoch + 1, step, trainRate.perSecond(),
                                    evalRate.perSecond(), trainPpl, vals, Double.NaN, 0, loss);
                        if (cfg.clipNorm() > 0) GradClip.clipByGlobalNorm(opt.parameters(), cfg.clipNorm());
                        opt.step(lr);
                        next = detach(s, out.state());
                    }
                    close(state);
                    state = next;
                    trainRate.stop((long) cfg.batch() * win.steps());
                    step++;
                    epochLoss += loss;
                    epochWindows++;
                    listener.step(epoch, step, total, loss, trainRate.perSecond());
                }
                trainPpl = Math.exp(epochLoss / epochWindows);
                double ppl = perplexity(model, valTokens, cfg.evalBatch(), cfg.bptt(), evalRate);
                vals.add(ppl);
                listener.epoch(epoch, ppl);
                epoch++;
                if (!Double.isFinite(ppl))
                    return new LmTrainResult("diverged", "validation perplexity became " + ppl + " after epoch " + (epoch - 1),
                            epoch, step, trainRate.perSecond(), evalRate.perSecond(), trainPpl, vals, Double.NaN, 0, loss);
            }
            double testPpl = cfg.test()
                    ? perplexity(model, subset(test, cfg.evalTokens()), cfg.evalBatch(), cfg.bptt(), evalRate) : Double.NaN;
            double valPpl = vals.getLast();
            return new LmTrainResult("ok", null, epoch, step, trainRate.perSecond(), evalRate.perSecond(), trainPpl, vals,
                    testPpl, LmTrainResult.reward(cfg.rewardC(), valPpl), loss);
        } catch (OutOfMemoryError | DeviceOutOfMemoryException e) {
            return new LmTrainResult("out_of_memory", String.valueOf(e.getMessage()), epoch, step, 0, 0, trainPpl, vals,
                    Double.NaN, 0, loss);
        } finally {
            close(state);
            Tape.current().clear();
            model.train();
        }
    }

    /**
     * exp(mean next-token loss) over a stream cut into {@code batch} rows and windows of
     * {@code bptt}, state carried across windows, in evaluation mode (no dropout) without recording.
     */
    public static double perplexity(LanguageModel model, int[] tokens, int batch, int bptt) {
        return perplexity(model, new BpttWindows(tokens, batch, bptt));
    }

    /** {@link #perplexity(LanguageModel, int[], int, int)}, timed as one evaluation pass. */
    private static double perplexity(LanguageModel model, int[] tokens, int batch, int bptt, Throughput rate) {
        BpttWindows windows = new BpttWindows(tokens, batch, bptt);
        rate.start();
        double ppl = perplexity(model, windows);
        rate.stop(windows.targets());
        return ppl;
    }

    private static double perplexity(LanguageModel model, BpttWindows windows) {
        int batch = windows.batch();
        Backend be = model.parameters().getFirst().backend();
        boolean wasTraining = model.isTraining();
        model.eval();
        double nll = 0;
        List<State> state = null;
        try (Tape.Guard g = Tape.noGrad()) {
            state = model.zeroState(batch);
            for (int w = 0; w < windows.count(); w++) {
                BpttWindows.Window win = windows.window(w);
                List<State> next;
                try (Scope s = Scope.open()) {
                    LanguageModel.Output out = model.forward(Tensor.ints(be, win.inputs(), batch, win.steps()), state);
                    Tensor perRow = CrossEntropy.perRow(out.logits(), Tensor.ints(be, win.targets(), batch * win.steps()));
                    nll += perRow.sum().item();
                    next = new ArrayList<>();
                    for (State st : out.state()) next.add(new State(s.keep(st.h()), s.keep(st.c())));
                }
                close(state);
                state = next;
            }
        } finally {
            close(state);
            model.train(wasTraining);
        }
        return Math.exp(nll / windows.targets());
    }

    /** Copies of the state that outlive the scope and carry no gradient history. */
    private static List<State> detach(Scope scope, List<State> state) {
        List<State> out = new ArrayList<>(state.size());
        for (State st : state) out.add(new State(scope.keep(st.h().copy()), scope.keep(st.c().copy())));
        return out;
    }

    private static void close(List<State> state) {
        if (state == null) return;
        for (State st : state) {
            st.h().close();
            st.c().close();
        }
    }

    /** The "step" schedule (decay each epoch from decayAfterEpochs on) or a constant rate, at epoch {@code epoch} (from 0). */
    static float epochRate(LmTrainConfig cfg, int epoch) {
        if (cfg.schedule().equals("constant")) return cfg.lr();
        return (float) (cfg.lr() * Math.pow(cfg.lrDecay(), Math.max(0, epoch - cfg.decayAfterEpochs() + 1)));
    }

    private static int[] subset(int[] tokens, int limit) {
        return limit > 0 && limit < tokens.length ? Arrays.copyOf(tokens, limit) : tokens;
    }
}
