package org.nasengine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.search.TrialLog;

/**
 * Strategies compared at equal wall time: from the trial logs of several searches, the best
 * validation accuracy found by the time the shortest run ended (the seconds of its children
 * summed), per strategy the mean over seeds with its standard deviation and 95% t-interval, and a
 * PNG of the mean best so far against wall time.
 *
 * <p>Usage: {@code SearchCurves OUT.png DIR...} where each DIR is a search output whose name
 * starts with the strategy ({@code reinforce-seed1}, {@code random-seed2}, ...).
 */
public final class SearchCurves {
    private SearchCurves() {}

    /** One search: (cumulative seconds, best validation accuracy so far) after each evaluated child. */
    record Curve(double[] seconds, double[] best) {
        double bestAt(double t) {
            double b = Double.NaN;
            for (int i = 0; i < seconds.length && seconds[i] <= t; i++) b = best[i];
            return b;
        }

        int childrenBy(double t) {
            int n = 0;
            while (n < seconds.length && seconds[n] <= t) n++;
            return n;
        }

        double end() { return seconds[seconds.length - 1]; }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) throw new IllegalArgumentException("usage: SearchCurves OUT.png DIR...");
        Map<String, List<Curve>> byStrategy = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            Path dir = Path.of(args[i]);
            String strategy = dir.getFileName().toString().split("-")[0];
            List<Trial> trials = TrialLog.read(dir.resolve("trials.jsonl"));
            if (trials.isEmpty()) throw new IOException(dir + ": no trials");
            byStrategy.computeIfAbsent(strategy, k -> new ArrayList<>()).add(curve(trials));
        }
        double horizon = byStrategy.values().stream().flatMap(List::stream).mapToDouble(Curve::end).min().orElseThrow();
        XYChart chart = new XYChartBuilder().width(900).height(500).title("best validation accuracy against wall time (mean over seeds)")
                .xAxisTitle("seconds of child training").yAxisTitle("best validation accuracy so far").build();
        StringBuilder table = new StringBuilder(String.format("equal wall time: %.0f s of child training (the shortest run)%n%n", horizon));
        table.append("| strategy | seeds | children by then (mean) | best by then: mean | std | 95% t-interval of the mean | per seed |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (var e : byStrategy.entrySet()) {
            List<Curve> runs = e.getValue();
            double[] atHorizon = runs.stream().mapToDouble(c -> c.bestAt(horizon)).toArray();
            double mean = mean(atHorizon), std = std(atHorizon), half = tCritical(runs.size() - 1) * std / Math.sqrt(runs.size());
            double children = runs.stream().mapToInt(c -> c.childrenBy(horizon)).average().orElseThrow();
            List<String> perSeed = new ArrayList<>();
            for (double v : atHorizon) perSeed.add(String.format("%.4f", v));
            table.append(String.format("| %s | %d | %.1f | %.4f | %.4f | [%.4f, %.4f] | %s |%n", e.getKey(), runs.size(), children, mean, std,
                    mean - half, mean + half, String.join(", ", perSeed)));
            int points = 60;
            double[] x = new double[points], y = new double[points];
            for (int k = 0; k < points; k++) {
                x[k] = horizon * (k + 1) / points;
                double t = x[k];
                y[k] = mean(runs.stream().mapToDouble(c -> c.bestAt(t)).filter(Double::isFinite).toArray());
            }
            chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.NONE);
        }
        Path png = Path.of(args[0]);
        if (png.getParent() != null) Files.createDirectories(png.getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        System.out.print(table);
    }

    static Curve curve(List<Trial> trials) {
        List<Trial> searched = trials.stream().filter(t -> t.rung() == 0 && t.trained()).toList();
        double[] seconds = new double[searched.size()], best = new double[searched.size()];
        double time = 0, b = Double.NaN;
        for (int i = 0; i < searched.size(); i++) {
            Trial t = searched.get(i);
            time += t.seconds();
            if (t.ok() && (Double.isNaN(b) || t.valMetric() > b)) b = t.valMetric();
            seconds[i] = time;
            best[i] = b;
        }
        return new Curve(seconds, best);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    static double std(double[] v) {
        if (v.length < 2) return Double.NaN;
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }

    /** Two-sided 95% critical value of Student's t with {@code df} degrees of freedom. */
    static double tCritical(int df) {
        double[] table = {Double.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
                2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
        return df < table.length ? table[Math.max(df, 0)] : 1.96;
    }
}
