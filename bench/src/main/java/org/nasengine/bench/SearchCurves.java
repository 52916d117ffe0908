package org.nasengine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.search.TrialLog;

/**
 * Turns the trial logs of several searches into the policy-gradient vs random comparison: the
 * best reward so far and the mean of the top 5 against children trained, averaged over seeds per
 * strategy, as a PNG and a markdown table.
 *
 * <p>Usage: {@code SearchCurves OUT.png DIR...} where each DIR is a search output whose name
 * starts with the strategy ({@code reinforce-seed1}, {@code random-seed2}, ...).
 */
public final class SearchCurves {
    private SearchCurves() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) throw new IllegalArgumentException("usage: SearchCurves OUT.png DIR...");
        Map<String, List<List<Trial>>> byStrategy = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            Path dir = Path.of(args[i]);
            String strategy = dir.getFileName().toString().split("-")[0];
            List<Trial> trials = TrialLog.read(dir.resolve("trials.jsonl"));
            if (trials.isEmpty()) throw new IOException(dir + ": no trials");
            byStrategy.computeIfAbsent(strategy, k -> new ArrayList<>()).add(trials);
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title("REINFORCE vs random search")
                .xAxisTitle("children trained").yAxisTitle("validation accuracy").build();
        StringBuilder table = new StringBuilder("| strategy | seeds | children | best (mean over seeds) | top-5 mean (mean over seeds) | share over budget |\n|---|---|---|---|---|---|\n");
        for (var e : byStrategy.entrySet()) {
            int n = e.getValue().stream().mapToInt(List::size).min().orElseThrow();
            double[] x = new double[n], best = new double[n], top5 = new double[n];
            double overBudget = 0;
            for (List<Trial> run : e.getValue()) {
                for (int k = 0; k < n; k++) {
                    List<Double> rewards = run.subList(0, k + 1).stream().map(Trial::reward).sorted(Comparator.reverseOrder()).toList();
                    best[k] += rewards.getFirst() / e.getValue().size();
                    top5[k] += rewards.subList(0, Math.min(5, rewards.size())).stream().mapToDouble(Double::doubleValue).average().orElseThrow()
                            / e.getValue().size();
                }
                overBudget += run.subList(0, n).stream().filter(t -> t.status().equals("over_budget")).count() / (double) n / e.getValue().size();
            }
            for (int k = 0; k < n; k++) x[k] = k + 1;
            chart.addSeries(e.getKey() + " best so far", x, best);
            chart.addSeries(e.getKey() + " top-5 mean", x, top5);
            table.append(String.format("| %s | %d | %d | %.4f | %.4f | %.0f%% |%n", e.getKey(), e.getValue().size(), n, best[n - 1],
                    top5[n - 1], 100 * overBudget));
        }
        Path png = Path.of(args[0]);
        if (png.getParent() != null) Files.createDirectories(png.getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        System.out.print(table);
    }
}
