package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ProgressBar;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.search.Comparison;
import org.nasengine.nas.search.MemoryStore;
import org.nasengine.nas.search.ResultTable;
import org.nasengine.nas.search.SearchLoop;
import org.nasengine.nas.search.TableEvaluator;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.strategy.Strategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Strategies against each other: every strategy searches once per seed at the same budget, all in
 * this process (parallel over cores, each run in memory), then the markdown table of the report
 * figure of each run's pick, the PNG of the mean best-so-far curves and one JSON line.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare strategies over many seeds at the same budget (on a benchmark table: thousands of searches in minutes).",
                "Each run picks its best child by the table's metric and is scored by the report column; prints a markdown table",
                "(mean, standard deviation, 95% t-interval of the mean, 2.5-97.5 percentiles of runs, mean queries to the pick),",
                "writes the PNG of mean best-so-far against queries, and ends with one JSON line."})
public final class CompareCommand implements Callable<Integer> {
    @Option(names = "--space", defaultValue = "nb201", description = "The space (a table holds nb201 cells). Default: ${DEFAULT-VALUE}.")
    String space;
    @Option(names = "--strategies", defaultValue = "random,reinforce,evolution,smbo,bo", split = ",",
            description = "Strategies to compare, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<String> strategies;
    @Option(names = "--budget", defaultValue = "100", description = "Queries (distinct children) per run. Default: ${DEFAULT-VALUE}.")
    int budget;
    @Option(names = "--time-budget", description = "Seconds per run instead of queries, for trained children (not with a table, whose budget counts queries).")
    Double timeBudget;
    @Option(names = "--seeds", defaultValue = "10", description = "Runs per strategy, seeds first-seed, first-seed + 1, ... Default: ${DEFAULT-VALUE}.")
    int seeds;
    @Option(names = "--first-seed", defaultValue = "1", description = "Seed of the first run. Default: ${DEFAULT-VALUE}.")
    long firstSeed;
    @Option(names = "--children-per-update", defaultValue = "1", description = "Children per strategy update. Default: ${DEFAULT-VALUE}.")
    int childrenPerUpdate;
    @Option(names = "--threads", defaultValue = "0", description = "Runs at once (0: one per core). Default: ${DEFAULT-VALUE}.")
    int threads;
    @Option(names = "--plot", defaultValue = "compare.png", description = "PNG of the mean best-so-far curves. Default: ${DEFAULT-VALUE}.")
    Path plot;
    @Option(names = "--controller-lr", description = "reinforce: controller Adam learning rate (default as search: 5e-3 on nb201).")
    Float controllerLr;
    @Option(names = "--baseline-decay", defaultValue = "0.95", description = "reinforce: decay of the reward moving average. Default: ${DEFAULT-VALUE}.")
    double baselineDecay;
    @Option(names = "--entropy-weight", defaultValue = "1e-4", description = "reinforce: entropy bonus. Default: ${DEFAULT-VALUE}.")
    double entropyWeight;

    @Mixin StrategyOptions strategyOptions;
    @Mixin EvaluatorOptions evaluator;

    @Override
    public Integer call() throws IOException {
        if (seeds < 1) throw new UserError("--seeds (" + seeds + ") must be >= 1");
        if (strategies.isEmpty()) throw new UserError("--strategies names none");
        if (childrenPerUpdate < 1) throw new UserError("--children-per-update (" + childrenPerUpdate + ") must be >= 1");
        if (threads < 0) throw new UserError("--threads (" + threads + ") must be >= 0");
        if (!List.of("macro-cnn", "nasnet", "rnn-cell", "nb201").contains(space))
            throw new UserError("--space '" + space + "' is not one of macro-cnn, nasnet, rnn-cell, nb201");
        StrategySettings options = strategyOptions.settings();
        for (String name : strategies) Strategies.check(name, options, budget);
        TableSettings table = evaluator.settings(space);
        if (table != null && timeBudget != null)
            throw new UserError("--time-budget is for trained children; a table's budget counts queries: use --budget");
        if (timeBudget != null && !(timeBudget > 0)) throw new UserError("--time-budget (" + timeBudget + ") must be > 0 seconds");
        if (table == null)
            throw new UserError("compare runs on a benchmark table for now (--evaluator table --table FILE --table-metric COLUMN); "
                    + "to compare strategies on trained children run search once per strategy and seed");
        ResultTable results = TableTask.load(table);
        DecisionSpace searchSpace = TableTask.space(results);

        int n = strategies.size() * seeds;
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        System.err.printf("compare: %s on %s (%d cells), budget %d queries, seeds %d..%d, %d runs on %d threads%n",
                String.join(", ", strategies), results.file(), results.size(), budget, firstSeed, firstSeed + seeds - 1, n, workers);
        List<List<Comparison.Run>> runs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try (ProgressBar bar = Progress.bar("compare", n)) {
            List<List<Future<Comparison.Run>>> futures = new ArrayList<>();
            for (String name : strategies) {
                List<Future<Comparison.Run>> perSeed = new ArrayList<>();
                for (int k = 0; k < seeds; k++) {
                    long seed = firstSeed + k;
                    perSeed.add(pool.submit(() -> {
                        Comparison.Run r = runOne(name, seed, options, results, searchSpace);
                        bar.step();
                        return r;
                    }));
                }
                futures.add(perSeed);
            }
            for (List<Future<Comparison.Run>> perSeed : futures) {
                List<Comparison.Run> done = new ArrayList<>();
                for (Future<Comparison.Run> f : perSeed) done.add(f.get());
                runs.add(done);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("compare interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException("a comparison run failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return report(runs, results);
    }

    private Comparison.Run runOne(String name, long seed, StrategySettings options, ResultTable results, DecisionSpace searchSpace)
            throws IOException {
        SearchSettings s = settings(name, seed, options);
        try (JavaBackend backend = new JavaBackend()) {
            Strategy strategy = Strategies.create(s, backend, searchSpace);
            List<Trial> trials = new SearchLoop(new MemoryStore(), strategy, i -> searchSpace, List.of(new TableEvaluator(results)), budget,
                    childrenPerUpdate, false, seed, new SearchLoop.Listener() {}).run();
            return Comparison.run(seed, trials, budget);
        }
    }

    private int report(List<List<Comparison.Run>> runs, ResultTable results) throws IOException {
        List<Comparison.Summary> summaries = new ArrayList<>();
        for (int i = 0; i < strategies.size(); i++) summaries.add(Comparison.summarise(strategies.get(i), runs.get(i)));
        System.out.printf("%d queries per run, seeds %d..%d; each run's pick is its best child by %s, scored by %s. std: over runs; "
                + "95%% CI: Student-t interval of the mean; 2.5-97.5%%: percentiles of the runs.%n%n", budget, firstSeed,
                firstSeed + seeds - 1, results.metricColumn(), results.reportColumn());
        System.out.print(Comparison.table(summaries, results.reportColumn()));
        Comparison.plot(Comparison.group(strategies, runs), budget, plot,
                "mean best-so-far " + results.reportColumn() + " (pick by " + results.metricColumn() + "), " + seeds + " seeds",
                results.reportColumn() + " of the pick so far");
        System.out.println();
        System.out.println("plot: " + plot);
        ObjectNode json = Json.object();
        json.put("budget", budget);
        json.put("seeds", seeds);
        json.put("first_seed", firstSeed);
        json.put("metric", results.metricColumn());
        json.put("report", results.reportColumn());
        ObjectNode per = json.putObject("strategies");
        for (int i = 0; i < strategies.size(); i++) {
            Comparison.Summary s = summaries.get(i);
            ObjectNode o = per.putObject(s.strategy());
            Json.putNumber(o, "mean", s.mean());
            Json.putNumber(o, "std", s.std());
            ArrayNode ci = o.putArray("ci95");
            ci.add(s.ciLow());
            ci.add(s.ciHigh());
            Json.putNumber(o, "mean_queries_to_best", s.meanQueriesToBest());
            ArrayNode r = o.putArray("runs");
            for (Comparison.Run run : runs.get(i)) r.add(run.report());
        }
        System.out.println(Json.line(json));
        return 0;
    }

    /** A search's settings for one run: the strategy options given, the rest of REINFORCE's at the search's defaults. */
    private SearchSettings settings(String name, long seed, StrategySettings options) {
        // the image and language-model fields are never read by a table search; they hold valid defaults
        return new SearchSettings(space, name, "table", null, 0, budget, childrenPerUpdate, 1, 0, 0, 64, 0.05f, 1, 1, 1, 0, new int[] {1},
                controllerLr != null ? controllerLr : Strategies.defaultControllerLr(space), baselineDecay, entropyWeight, 2, 35, false, 5,
                seed, 5, 1, 16, 8, 128, 0, 0.2f, null, new SearchGoal(0, 0, "accuracy", 1, 0, false, 0, 1, 0, List.of()), null, false,
                options, null, null);
    }
}
