package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.SharedFiles;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.child.LmTrainConfig;
import org.nasengine.nas.child.LstmLanguageModel;
import org.nasengine.nas.child.RnnLanguageModel;
import org.nasengine.nas.search.ChildResult;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.search.TrialLog;
import org.nasengine.nas.space.RnnCell;

/** train, describe and the search's task for language models (rnn-cell, lstm), on a small Penn-Treebank-shaped corpus. */
class LanguageModelCliTest {
    /** 30 words and the end marker. */
    static final int WORDS = 30, VOCAB = WORDS + 1;

    @TempDir static Path dir;
    static Path ptb, lstm;

    /** Sentences of 10 words in which each word follows from the one before (w_i, w_{i+7}, ...), from random starts. */
    @BeforeAll
    static void corpus() throws IOException {
        ptb = Files.createDirectories(dir.resolve("ptb"));
        Random rnd = new Random(1);
        for (var split : List.of(List.of("ptb.train.txt", "600"), List.of("ptb.valid.txt", "100"), List.of("ptb.test.txt", "100"))) {
            StringBuilder text = new StringBuilder();
            for (int line = 0; line < Integer.parseInt(split.get(1)); line++) {
                int w = line < WORDS ? line : rnd.nextInt(WORDS); // every word starts a training line, so all are in the vocabulary
                for (int k = 0; k < 10; k++, w = (w + 7) % WORDS) text.append(' ').append('w').append(w);
                text.append('\n');
            }
            Files.writeString(ptb.resolve(split.getFirst()), text);
        }
        lstm = dir.resolve("lstm.json");
        Files.writeString(lstm, "{\"space\": \"lstm\", \"layers\": 2, \"hidden\": 16}");
    }

    private static Cli.Run train(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--ptb-dir", ptb.toString(), "--device", "java"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void trainRunsTheLstmFormWithTheDefaultRecipe() throws Exception {
        Cli.Run r = train("--arch", lstm.toString(), "--dataset", "ptb", "--epochs", "3", "--lm-batch", "4", "--bptt", "10");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = Cli.lastJsonLine(r.out());
        assertEquals("ok", json.get("status").asText(), json.toString());
        assertEquals("lstm", json.get("arch").get("space").asText());
        assertEquals(LstmLanguageModel.parameterCount(2, VOCAB, 16), json.get("params").asLong());
        assertEquals(3, json.get("val_perplexity_per_epoch").size());
        assertEquals(3 * 165, json.get("steps").asLong(), "6,600 tokens in 4 rows of 1,650: 165 windows of 10 an epoch");
        // each word but the first of a sentence follows from the one before: below the ~31 of word frequencies
        assertTrue(json.get("val_perplexity").asDouble() < 15, json.toString());
        assertTrue(Double.isFinite(json.get("test_perplexity").asDouble()), json.toString());
        assertTrue(r.err().contains("SGD lr 1.0 on the loss summed over 10 steps, clip 5.0"), r.err());
    }

    @Test
    void describeSizesTheLstmBaselineAndTreeCells() throws Exception {
        Cli.Run r = Cli.run("describe", "--arch", SharedFiles.path("spec/arch/lstm-200.json").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(4_651_600, Cli.lastJsonLine(r.out()).get("params").asLong(), "Zaremba's small model on 10,000 words");
        assertEquals(LstmLanguageModel.parameterCount(10_000, 200), 4_651_600);
        Path refA = SharedFiles.path("spec/arch/ref-rnn-a.json");
        RnnCell cell = (RnnCell) Architectures.read(refA);
        Cli.Run a = Cli.run("describe", "--arch", refA.toString(), "--hidden", "214");
        assertEquals(0, a.exit(), a.err());
        assertEquals(RnnLanguageModel.parameterCount(cell, 10_000, 214), Cli.lastJsonLine(a.out()).get("params").asLong());
        Cli.Run medium = Cli.run("describe", "--arch", refA.toString());
        assertEquals(RnnLanguageModel.hiddenForBudget(cell, 10_000, RnnLanguageModel.mediumBudget(10_000)),
                Cli.lastJsonLine(medium.out()).get("hidden").asInt(), "--hidden 0 sizes to the medium budget, as --help says");
    }

    /** Every refusal: exit 2 and one line that names the option (or file) and what is wrong. */
    @Test
    void optionsOfTheWrongKindOrOutOfRangeAreRefused() {
        String cnn = SharedFiles.path("spec/arch/ref-cnn-a.json").toString(), l = lstm.toString();
        refused(train("--arch", l, "--batch", "32"), "--batch applies to image children; lstm.json is an lstm language model: use --lm-batch");
        refused(train("--arch", l, "--lr", "0.5"), "--lr applies to image children; lstm.json is an lstm language model: use --lm-lr");
        refused(train("--arch", l, "--optimizer", "adam"), "--optimizer applies to image children");
        refused(train("--arch", l, "--hidden", "300"), "--hidden 300: lstm.json is an lstm language model of hidden size 16");
        refused(train("--arch", l, "--dataset", "cifar10"), "trained on ptb, not --dataset cifar10");
        refused(Cli.run("train", "--arch", cnn, "--bptt", "10"),
                "--bptt applies to language models (rnn-cell, lstm); ref-cnn-a.json is macro-cnn");
        refused(train("--arch", cnn), "--ptb-dir applies to language models");
        refused(Cli.run("train", "--arch", cnn, "--dataset", "ptb"), "ptb is a language-model dataset");
        refused(train("--arch", l, "--dropout", "1"), "--dropout (1.0) must be in [0, 1)");
        refused(train("--arch", l, "--lm-lr", "0"), "--lm-lr (0.0) must be finite and > 0");
        refused(train("--arch", l, "--bptt", "0"), "--bptt (0) must be >= 1");
        refused(train("--arch", l, "--lm-decay", "2"), "--lm-decay (2.0) must be in (0, 1]");
        refused(train("--arch", l, "--epochs", "-1"), "--epochs (-1) must be >= 0 (0 evaluates without training)");
        refused(train("--arch", l, "--hidden", "-1"), "--hidden (-1) must be >= 0");
        // 6,600 training tokens give rows of 330; the 1,100 validation tokens rows of 55
        refused(train("--arch", l, "--bptt", "100"), "--bptt 100 is longer than the data: " + ptb.resolve("ptb.valid.txt")
                + " gives 1,100 tokens, 55 per row of --lm-batch 20, so windows of at most 54 steps");
        refused(train("--arch", l, "--bptt", "10", "--train-tokens", "200"), "--bptt 10 is longer than the data: "
                + ptb.resolve("ptb.train.txt") + " gives 200 tokens (of 6,600), 10 per row of --lm-batch 20");
        refused(Cli.run("describe", "--arch", l, "--bptt", "5"), "Unknown options: '--bptt'");
        refused(Cli.run("describe", "--arch", l, "--hidden", "8"), "--hidden 8 differs from the lstm architecture's own hidden size (16)");
    }

    @Test
    void aDamagedOrForeignPtbFileIsRefusedNamingIt(@TempDir Path other) throws IOException {
        for (String f : List.of("ptb.train.txt", "ptb.valid.txt", "ptb.test.txt")) Files.copy(ptb.resolve(f), other.resolve(f));
        Path valid = other.resolve("ptb.valid.txt");
        Files.writeString(valid, " w1 w8 w15\n w3 w10 w17\n w2 w9 w", java.nio.file.StandardOpenOption.APPEND); // cut mid-word
        Cli.Run cut = Cli.run("train", "--arch", lstm.toString(), "--ptb-dir", other.toString(), "--device", "java");
        refused(cut, valid + ": vocabulary mismatch: line 103 has the word \"w\", which ptb.train.txt (31 words) does not have");
        Files.write(valid, new byte[] {'w', '1', ' ', (byte) 0xff, '\n'});
        refused(Cli.run("train", "--arch", lstm.toString(), "--ptb-dir", other.toString()), valid + ": not UTF-8 text");
    }

    /** What SearchCommand is to call: options that would have no effect on the searched children are refused. */
    @Test
    void theSearchRefusesOptionsOfTheOtherKindOfChild() {
        Set<String> given = new HashSet<>();
        RnnOptions.checkSearchOptions("rnn-cell", given::contains, "fashion-mnist"); // nothing given: fine
        given.add("--lr");
        assertEquals("--lr applies to image children; --space rnn-cell searches language models: use --lm-lr",
                assertThrows(UserError.class, () -> RnnOptions.checkSearchOptions("rnn-cell", given::contains, "fashion-mnist")).getMessage());
        RnnOptions.checkSearchOptions("macro-cnn", given::contains, "fashion-mnist");
        given.clear();
        given.add("--dataset");
        RnnOptions.checkSearchOptions("rnn-cell", given::contains, "ptb");
        assertEquals("--space rnn-cell searches language models, trained on ptb, not --dataset cifar10",
                assertThrows(UserError.class, () -> RnnOptions.checkSearchOptions("rnn-cell", given::contains, "cifar10")).getMessage());
        given.clear();
        given.add("--dropout");
        assertEquals("--dropout applies to language models (rnn-cell, lstm); --space nasnet searches image children",
                assertThrows(UserError.class, () -> RnnOptions.checkSearchOptions("nasnet", given::contains, "cifar10")).getMessage());
        given.add("--rnn-base");
        given.remove("--dropout");
        assertThrows(UserError.class, () -> RnnOptions.checkSearchOptions("macro-cnn", given::contains, "fashion-mnist"));
    }

    private static void refused(Cli.Run r, String message) {
        assertEquals(2, r.exit(), () -> "expected exit 2 with '" + message + "'; out " + r.out() + " err " + r.err());
        assertTrue(r.err().contains(message), () -> "expected '" + message + "' in: " + r.err());
        assertTrue(!r.err().contains("\tat org."), "no stack trace: " + r.err());
    }

    // the search's language-model task

    private static SearchSettings settings(LmSettings lm) {
        return settings(128, 0, lm);
    }

    /** An rnn-cell random search's settings; {@code lm} null as in settings.json written before the recipe's options. */
    private static SearchSettings settings(int rnnHidden, int trainTokens, LmSettings lm) {
        return new SearchSettings("rnn-cell", "random", "fashion-mnist", null, 0, 2, 2, 1, 0, 0, 64, 0.05f, 3, 5, 8, 1,
                new int[] {1, 2}, 5e-4f, 0.95, 1e-4, 2, 35, false, 5, 3, 5, 1, 16, 2, rnnHidden, trainTokens, 1f, ptb.toString(),
                new SearchGoal(0, 0, "accuracy", 1, 0, false, 0, 1, 0, List.of()), null, false, StrategySettings.defaults(), null, lm);
    }

    @Test
    void theSearchTrainsChildrenByItsLanguageModelSettings() throws Exception {
        LmSettings lm = new LmSettings(0, 12, 5, 0.5f, 3f, 0.5f, 4, 0.25f, 2000, ptb.toString());
        LanguageTask task = new LanguageTask(settings(lm), new EngineOptions());
        LmTrainConfig cfg = task.proxyConfig();
        assertEquals(List.of(12, 5, 5, 2000, 10_000), List.of(cfg.bptt(), cfg.batch(), cfg.evalBatch(), cfg.trainTokens(), cfg.evalTokens()));
        assertEquals(List.of(0.5f, 3f, 0.5f), List.of(cfg.lr(), cfg.clipNorm(), cfg.lrDecay()));
        assertEquals(LanguageTask.HIDDEN, task.hidden(), "--hidden 0: the search's proxy size");
        assertTrue(task.describe().contains("dropout 0.25"), task.describe());
        // settings.json keeps them for --resume
        SearchSettings back = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(settings(lm)), SearchSettings.class);
        assertEquals(lm, back.lm());
        // the dropout reaches the children: the same child and seed train to another perplexity without it
        RnnCell gated = new RnnCell(2, List.of(new RnnCell.Node(RnnCell.Combine.ADD, RnnCell.Activation.SIGMOID),
                new RnnCell.Node(RnnCell.Combine.ADD, RnnCell.Activation.TANH), new RnnCell.Node(RnnCell.Combine.ELEM_MULT,
                RnnCell.Activation.IDENTITY)), new RnnCell.Node(RnnCell.Combine.ADD, RnnCell.Activation.TANH), 1, 2);
        LmSettings small = new LmSettings(8, 10, 4, 1f, 5f, 0.5f, 4, 0.25f, 2000, ptb.toString());
        try (JavaBackend be = new JavaBackend()) {
            ChildResult with = new LanguageTask(settings(small), new EngineOptions()).evaluator(be, () -> null).evaluate(0, gated, 3);
            LmSettings none = new LmSettings(8, 10, 4, 1f, 5f, 0.5f, 4, 0f, 2000, ptb.toString());
            ChildResult without = new LanguageTask(settings(none), new EngineOptions()).evaluator(be, () -> null).evaluate(0, gated, 3);
            assertEquals("ok", with.status(), with.error());
            assertNotEquals(with.valMetric(), without.valMetric());
        }
    }

    @Test
    void settingsSavedBeforeTheRecipeOptionsTakeTheRecipe() {
        SearchSettings old = settings(128, 100_000, null);
        assertNull(old.lm());
        LmTrainConfig cfg = new LanguageTask(old, new EngineOptions()).proxyConfig();
        LmTrainConfig recipe = LmTrainConfig.defaults();
        assertEquals(List.of(recipe.bptt(), recipe.batch(), 6600), List.of(cfg.bptt(), cfg.batch(), Math.min(cfg.trainTokens(), 6600)));
        assertEquals(recipe.clipNorm(), cfg.clipNorm());
    }

    /** A child whose loss becomes NaN is recorded as diverged, and the search goes on to the next one. */
    @Test
    void aDivergingChildIsRecordedAndTheSearchGoesOn() throws Exception {
        Path out = dir.resolve("diverging");
        Cli.Run r = Cli.run("search", "--space", "rnn-cell", "--rnn-base", "2", "--strategy", "random", "--budget", "2",
                "--children-per-update", "2", "--hidden", "8", "--train-tokens", "1000", "--final-epochs", "0", "--lm-lr", "1e30",
                "--ptb-dir", ptb.toString(), "--device", "java", "--out", out.toString());
        List<Trial> trials = TrialLog.read(out.resolve("trials.jsonl"));
        assertEquals(2, trials.size(), r.err());
        for (Trial t : trials) assertEquals("diverged", t.status(), t.error());
        assertEquals(1, r.exit(), "no child trained successfully: " + r.err());
    }
}
