package org.nasengine.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Backends;
import org.nasengine.data.PennTreebank;
import org.nasengine.data.TokenDataset;
import org.nasengine.nas.child.LanguageModel;
import org.nasengine.nas.child.LanguageModelTrainer;
import org.nasengine.nas.child.LmTrainConfig;
import org.nasengine.nas.child.LmTrainResult;
import org.nasengine.nas.child.LstmLanguageModel;
import org.nasengine.nas.child.RnnLanguageModel;
import org.nasengine.nas.space.RnnCell;

/**
 * ref-rnn-a against a plain LSTM of the same parameter count on Penn Treebank, trained the same
 * way (truncated BPTT, batch 20 x 35 steps, plain SGD at one constant rate, global norm clipped
 * (default 5), the same seed and token order) for the same number of updates. Validation perplexity on the
 * first {@code evalTokens} validation tokens is measured before training and at {@code checkpoints}
 * evenly spaced steps; the curves come out as progress lines, then a markdown table.
 *
 * <pre>PtbCompare [hidden=200] [steps=2000] [lr=1] [evalTokens=20000] [checkpoints=8] [dropout=0] [backend=cpu] [seed=1] [clip=5]</pre>
 */
public final class PtbCompare {
    private static final int BATCH = 20, BPTT = 35;

    /** One model's curve: perplexity at each checkpoint step (index 0 is step 0, before training). */
    record Curve(String name, int hidden, long params, long[] steps, double[] ppl, double tokensPerSec, double trainPpl,
                 double seconds, String status) {}

    public static void main(String[] args) throws Exception {
        int hidden = intArg(args, 0, 200);
        int steps = intArg(args, 1, 2000);
        float lr = args.length > 2 ? Float.parseFloat(args[2]) : 1f;
        int evalTokens = intArg(args, 3, 20_000);
        int checkpoints = intArg(args, 4, 8);
        float dropout = args.length > 5 ? Float.parseFloat(args[5]) : 0f;
        String backendName = args.length > 6 ? args[6] : "cpu";
        long seed = args.length > 7 ? Long.parseLong(args[7]) : 1;
        // the trainer's objective is Zaremba's: summed over the 35 steps, so lr 1, clip 5 is their recipe
        float clip = args.length > 8 ? Float.parseFloat(args[8]) : 5f;
        if (steps < checkpoints)
            throw new IllegalArgumentException("steps (" + steps + ") must be >= checkpoints (" + checkpoints + ")");

        Path shared = ReferenceArchitectures.dir().getParent().getParent(); // shared/spec/arch -> shared
        Path ptbDir = shared.resolve("data/ptb");
        if (!Files.isDirectory(ptbDir)) throw new IllegalStateException("no Penn Treebank at " + ptbDir);
        TokenDataset ptb = PennTreebank.load(ptbDir);
        int vocab = ptb.vocabulary().size();
        RnnCell cell = (RnnCell) ReferenceArchitectures.read("ref-rnn-a");
        long params = RnnLanguageModel.parameterCount(cell, vocab, hidden);
        int lstmHidden = LstmLanguageModel.hiddenForParams(vocab, params);

        LmTrainConfig cfg = LmTrainConfig.defaults().withBatch(BATCH, BPTT).withOptimizer("sgd", lr).withSchedule("constant")
                .withClipNorm(clip).withMaxSteps(steps).withTokens(0, evalTokens).withEpochs(1000);
        System.out.printf(Locale.ROOT, "ptb: vocab %d, %d train tokens (%d windows of %dx%d an epoch), %d validation tokens used%n",
                vocab, ptb.train().length, ptb.train().length / BATCH / BPTT, BATCH, BPTT, Math.min(evalTokens, ptb.validation().length));
        System.out.printf(Locale.ROOT, "recipe: %d SGD steps at constant lr %s, clip %s, dropout %s, init U(-%s, %s), seed %d, backend %s%n",
                steps, lr, clip, dropout, RnnLanguageModel.DEFAULT_INIT_RANGE, RnnLanguageModel.DEFAULT_INIT_RANGE, seed, backendName);

        long[] at = checkpointSteps(steps, checkpoints);
        List<Curve> curves = new ArrayList<>();
        try (Backend be = Backends.open(backendName)) {
            try (RnnLanguageModel m = new RnnLanguageModel(cell, vocab, hidden, dropout, RnnLanguageModel.DEFAULT_INIT_RANGE, be, seed)) {
                curves.add(run("ref-rnn-a", hidden, m, ptb, cfg, at, evalTokens));
            }
            try (LstmLanguageModel m = new LstmLanguageModel(vocab, lstmHidden, dropout, RnnLanguageModel.DEFAULT_INIT_RANGE, be, seed)) {
                curves.add(run("lstm", lstmHidden, m, ptb, cfg, at, evalTokens));
            }
        }
        System.out.println();
        System.out.println(table(curves, at));
    }

    /** Step 0 and {@code n} evenly spaced steps ending at {@code steps}. */
    static long[] checkpointSteps(int steps, int n) {
        long[] at = new long[n + 1];
        for (int k = 1; k <= n; k++) at[k] = Math.round((double) steps * k / n);
        return at;
    }

    private static Curve run(String name, int hidden, LanguageModel model, TokenDataset ptb, LmTrainConfig cfg, long[] at,
                             int evalTokens) {
        int[] val = Arrays.copyOf(ptb.validation(), Math.min(evalTokens, ptb.validation().length));
        double[] ppl = new double[at.length];
        Arrays.fill(ppl, Double.NaN);
        long t0 = System.nanoTime();
        ppl[0] = LanguageModelTrainer.perplexity(model, val, BATCH, BPTT);
        System.out.printf(Locale.ROOT, "%s: hidden %d, %d parameters; step 0 val ppl %.1f%n", name, hidden, model.parameterCount(), ppl[0]);
        long last = at[at.length - 1];
        LmTrainResult r = LanguageModelTrainer.train(model, ptb, cfg, new LanguageModelTrainer.Listener() {
            private int next = 1;

            @Override
            public void step(int epoch, long step, long total, float loss, double tokensPerSec) {
                if (next >= at.length - 1 || step != at[next]) return; // the last checkpoint is the trainer's own measurement
                ppl[next] = LanguageModelTrainer.perplexity(model, val, BATCH, BPTT);
                System.out.printf(Locale.ROOT, "%s: step %d/%d loss %.3f val ppl %.1f (%.0f tokens/s, %.0f s)%n", name, step, total,
                        loss, ppl[next], tokensPerSec, (System.nanoTime() - t0) / 1e9);
                next++;
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (r.ok() && r.steps() == last) ppl[at.length - 1] = r.valPerplexity();
        System.out.printf(Locale.ROOT, "%s: %s after %d steps: val ppl %.1f, train ppl %.1f, %.0f tokens/s, %.0f s%s%n", name,
                r.status(), r.steps(), ppl[at.length - 1], r.trainPerplexity(), r.trainTokensPerSec(), seconds,
                r.error() == null ? "" : " (" + r.error() + ")");
        return new Curve(name, hidden, model.parameterCount(), at, ppl, r.trainTokensPerSec(), r.trainPerplexity(), seconds,
                r.status());
    }

    static String table(List<Curve> curves, long[] at) {
        StringBuilder sb = new StringBuilder();
        sb.append("| model | hidden | parameters | status | train tokens/s | wall s (incl. eval) | train ppl (steps seen) |\n");
        sb.append("|---|---:|---:|---|---:|---:|---:|\n");
        for (Curve c : curves)
            sb.append(String.format(Locale.ROOT, "| %s | %d | %,d | %s | %.0f | %.0f | %.1f |%n", c.name(), c.hidden(), c.params(),
                    c.status(), c.tokensPerSec(), c.seconds(), c.trainPpl()));
        sb.append("\n| step | tokens seen |");
        for (Curve c : curves) sb.append(' ').append(c.name()).append(" val ppl |");
        sb.append("\n|---:|---:|");
        for (int i = 0; i < curves.size(); i++) sb.append("---:|");
        sb.append('\n');
        for (int k = 0; k < at.length; k++) {
            sb.append(String.format(Locale.ROOT, "| %d | %,d |", at[k], at[k] * BATCH * BPTT));
            for (Curve c : curves) sb.append(String.format(Locale.ROOT, " %.1f |", c.ppl()[k]));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static int intArg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
