package org.nasengine.nas.search;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The figures of a comparison of strategies over many seeds: for each run, the report value of its
 * best child by reward (the benchmark papers' protocol: choose by the search signal, report the
 * held-out figure) and the queries it took to find that child; for each strategy, their mean,
 * standard deviation, the 95% t-interval of the mean and the 2.5-97.5 percentiles of the runs;
 * the markdown table and the PNG of the mean best-so-far curves.
 */
public final class Comparison {
    private Comparison() {}

    /** One run: its seed, its final pick's report value, the query that found it, and the best-so-far report after each query. */
    public record Run(long seed, double report, int queriesToBest, double[] curve) {}

    /** A strategy's runs summarised. */
    public record Summary(String strategy, int runs, double mean, double std, double ciLow, double ciHigh, double p025, double p975,
                          double meanQueriesToBest) {}

    /**
     * The run of one search: trials in id order; repeats (cached) cost no query. The pick after q
     * queries is the best reward among the first q distinct children (the earliest on ties), and
     * the curve holds its report value for q = 1..budget (the last pick carried on when the search
     * stopped early, e.g. converged).
     */
    public static Run run(long seed, List<Trial> trials, int budget) {
        double[] curve = new double[budget];
        Arrays.fill(curve, Double.NaN);
        double bestReward = Double.NaN, bestReport = Double.NaN;
        int queries = 0, foundAt = 0;
        for (Trial t : trials) {
            if (!t.trained()) continue;
            queries++;
            if (t.ok() && Double.isFinite(t.reward()) && (Double.isNaN(bestReward) || t.reward() > bestReward)) {
                bestReward = t.reward();
                bestReport = t.report();
                foundAt = queries;
            }
            if (queries <= budget) curve[queries - 1] = bestReport;
        }
        for (int q = Math.max(1, queries); q < budget; q++) curve[q] = curve[q - 1];
        return new Run(seed, bestReport, foundAt, curve);
    }

    public static Summary summarise(String strategy, List<Run> runs) {
        double[] v = runs.stream().mapToDouble(Run::report).toArray();
        int n = v.length;
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        double std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
        double half = n > 1 ? studentT975(n - 1) * std / Math.sqrt(n) : Double.NaN;
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        return new Summary(strategy, n, mean, std, mean - half, mean + half, percentile(sorted, 0.025), percentile(sorted, 0.975),
                runs.stream().mapToInt(Run::queriesToBest).average().orElse(Double.NaN));
    }

    /** Linear interpolation between order statistics (the "R-7" rule of R and numpy). */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h), hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * The 0.975 quantile of Student's t with {@code df} degrees of freedom: exact for 1 and 2, the
     * Cornish-Fisher expansion around the normal quantile from 3 on (error below 1e-3).
     */
    static double studentT975(int df) {
        if (df < 1) throw new IllegalArgumentException("degrees of freedom (" + df + ") must be >= 1");
        double p = 0.975;
        if (df == 1) return Math.tan(Math.PI * (p - 0.5));
        if (df == 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
        double z = 1.959963984540054, v = df;
        double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
        return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v)
                + (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v);
    }

    /** The markdown table, one row per strategy, in the given order. */
    public static String table(List<Summary> summaries, String reportColumn) {
        StringBuilder sb = new StringBuilder();
        sb.append("| strategy | runs | mean ").append(reportColumn).append(" | std | 95% CI of the mean | 2.5-97.5% of runs | mean queries to best |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Summary s : summaries)
            sb.append(String.format("| %s | %d | %.2f | %.2f | %.2f - %.2f | %.2f - %.2f | %.1f |%n", s.strategy(), s.runs(), s.mean(), s.std(),
                    s.ciLow(), s.ciHigh(), s.p025(), s.p975(), s.meanQueriesToBest()));
        return sb.toString();
    }

    /** The mean best-so-far report value against queries, one line per strategy, dashed 95% t-intervals of the mean around it. */
    public static void plot(Map<String, List<Run>> runs, int budget, Path png, String title, String yTitle) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle("queries (distinct cells evaluated)")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        Color[] colors = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
                new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194)};
        double lowest = Double.POSITIVE_INFINITY, highest = Double.NEGATIVE_INFINITY;
        int start = Math.min(budget, 10); // the first few queries are random in every strategy and would flatten the plot
        int c = 0;
        for (Map.Entry<String, List<Run>> e : runs.entrySet()) {
            List<Double> x = new ArrayList<>(), mean = new ArrayList<>(), lo = new ArrayList<>(), hi = new ArrayList<>();
            for (int q = start; q <= budget; q++) {
                int at = q - 1;
                List<Run> rs = e.getValue();
                double[] v = rs.stream().mapToDouble(r -> r.curve()[at]).filter(Double::isFinite).toArray();
                if (v.length == 0) continue;
                double m = Arrays.stream(v).average().orElseThrow();
                double sd = 0;
                for (double y : v) sd += (y - m) * (y - m);
                sd = v.length > 1 ? Math.sqrt(sd / (v.length - 1)) : 0;
                double half = v.length > 1 ? studentT975(v.length - 1) * sd / Math.sqrt(v.length) : 0;
                x.add((double) q);
                mean.add(m);
                lo.add(m - half);
                hi.add(m + half);
                lowest = Math.min(lowest, m - half);
                highest = Math.max(highest, m + half);
            }
            if (x.isEmpty()) continue;
            Color color = colors[c++ % colors.length];
            XYSeries line = chart.addSeries(e.getKey(), x, mean);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(color);
            line.setLineStyle(new BasicStroke(2f)); // solid: XChart would dash the fifth series
            BasicStroke dashed = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f);
            for (List<Double> band : List.of(lo, hi)) {
                XYSeries b = chart.addSeries(e.getKey() + (band == lo ? " 95% CI low" : " 95% CI high"), x, band);
                b.setMarker(SeriesMarkers.NONE);
                b.setLineColor(color);
                b.setLineStyle(dashed);
                b.setShowInLegend(false);
            }
        }
        if (Double.isFinite(lowest)) {
            chart.getStyler().setYAxisMin(lowest - 0.05 * (highest - lowest));
            chart.getStyler().setYAxisMax(highest + 0.05 * (highest - lowest));
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Runs grouped by strategy, in first-seen order. */
    public static Map<String, List<Run>> group(List<String> strategies, List<List<Run>> runs) {
        Map<String, List<Run>> out = new LinkedHashMap<>();
        for (int i = 0; i < strategies.size(); i++) out.put(strategies.get(i), runs.get(i));
        return out;
    }
}
