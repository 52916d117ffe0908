package org.nasengine.nas.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/** The end of a search: the top-k table and report.png (reward per child, moving average, best so far). */
public final class SearchReport {
    private SearchReport() {}

    /** The k best children that trained without trouble, best first. */
    public static List<Trial> top(List<Trial> trials, int k) {
        return trials.stream().filter(Trial::ok).filter(t -> Double.isFinite(t.reward()))
                .sorted(Comparator.comparingDouble(Trial::reward).reversed()).limit(k).toList();
    }

    public static String table(List<Trial> top) {
        StringBuilder sb = new StringBuilder(String.format("%-5s %-6s %-11s %-11s %-10s %-9s %-8s %s%n", "rank", "trial", "reward", "val",
                "params", "MFLOPs", "seconds", "architecture"));
        int rank = 1;
        for (Trial t : top)
            sb.append(String.format("%-5d %-6d %-11.5g %-11.5g %-10d %-9.2f %-8.1f %s%n", rank++, t.id(), t.reward(), t.valMetric(), t.params(),
                    t.flops() / 1e6, t.seconds(), t.arch().key()));
        return sb.toString();
    }

    public static void plot(List<Trial> trials, Path png, String title) throws IOException {
        List<Double> x = new ArrayList<>(), reward = new ArrayList<>(), average = new ArrayList<>(), best = new ArrayList<>();
        double bestSoFar = Double.NEGATIVE_INFINITY, ema = Double.NaN;
        for (Trial t : trials) {
            x.add((double) t.id());
            reward.add(t.reward());
            ema = Double.isNaN(ema) ? t.reward() : 0.8 * ema + 0.2 * t.reward();
            average.add(ema);
            bestSoFar = Math.max(bestSoFar, t.reward());
            best.add(bestSoFar);
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("child").yAxisTitle("reward").build();
        if (x.isEmpty()) return;
        chart.addSeries("reward", x, reward).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.addSeries("moving average", x, average);
        chart.addSeries("best so far", x, best);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
