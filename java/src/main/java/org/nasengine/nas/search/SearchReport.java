package org.nasengine.nas.search;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.Cost;

/**
 * The end of a search: the top-k table, report.png (reward per child with its moving average and
 * best so far; accuracy against cost with the Pareto front) and the front as pareto.json.
 */
public final class SearchReport {
    private SearchReport() {}

    /** The k best search-phase children that trained without trouble, best first. */
    public static List<Trial> top(List<Trial> trials, int k) {
        return trials.stream().filter(Trial::ok).filter(t -> t.rung() == 0).filter(t -> Double.isFinite(t.reward()))
                .sorted(Comparator.comparingDouble(Trial::reward).reversed()).limit(k).toList();
    }

    public static String table(List<Trial> rows) {
        StringBuilder sb = new StringBuilder(String.format("%-5s %-6s %-5s %-11s %-11s %-10s %-9s %-8s %s%n", "rank", "trial", "rung",
                "reward", "val", "params", "MFLOPs", "seconds", "architecture"));
        int rank = 1;
        for (Trial t : rows)
            sb.append(String.format("%-5d %-6d %-5d %-11.5g %-11.5g %-10d %-9.2f %-8.1f %s%n", rank++, t.id(), t.rung(), t.reward(),
                    t.valMetric(), t.params(), t.flops() / 1e6, t.seconds(), t.arch().key()));
        return sb.toString();
    }

    /** pareto.json: the front, cheapest first, each with its trial, accuracy, cost and architecture. */
    public static ObjectNode paretoJson(List<Trial> trials) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode front = root.putArray("front");
        for (Trial t : Pareto.front(trials)) {
            ObjectNode o = front.addObject();
            o.put("trial", t.id()).put("val_accuracy", t.valMetric()).put("mflops", t.flops() / 1e6).put("params", t.params())
                    .put("reward", t.reward());
            o.set("arch", ArchitectureCodec.toTree(t.arch()));
        }
        return root;
    }

    /**
     * @param references hand-written architectures to mark on the cost panel (name to accuracy and
     *     cost), where they were evaluated; may be empty
     */
    public static void plot(List<Trial> trials, Map<String, ReferencePoint> references, Path png, String title) throws IOException {
        List<Trial> searched = trials.stream().filter(t -> t.rung() == 0).toList();
        if (searched.isEmpty()) return;
        XYChart rewards = rewardChart(searched, title);
        XYChart costs = costChart(searched, references);
        AtomicFiles.write(png, sideBySide(rewards, costs)); // a full disk leaves the old report or none, never half of one
    }

    /** The two panels as one PNG image, left to right. */
    private static byte[] sideBySide(XYChart left, XYChart right) throws IOException {
        BufferedImage a = BitmapEncoder.getBufferedImage(left), b = BitmapEncoder.getBufferedImage(right);
        BufferedImage both = new BufferedImage(a.getWidth() + b.getWidth(), Math.max(a.getHeight(), b.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth(), 0, null);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(both, "png", bytes);
        return bytes.toByteArray();
    }

    /** A hand-written architecture's accuracy under the same proxy, and its cost. */
    public record ReferencePoint(double accuracy, Cost cost) {}

    private static XYChart rewardChart(List<Trial> trials, String title) {
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
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("child").yAxisTitle("reward").build();
        chart.addSeries("reward", x, reward).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.addSeries("moving average", x, average).setMarker(SeriesMarkers.NONE);
        chart.addSeries("best so far", x, best).setMarker(SeriesMarkers.NONE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        return chart;
    }

    private static XYChart costChart(List<Trial> trials, Map<String, ReferencePoint> references) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title("accuracy against cost")
                .xAxisTitle("forward MFLOPs per example").yAxisTitle("validation accuracy (proxy)").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (Trial t : trials) {
            if (!t.ok() || !Double.isFinite(t.flops()) || !Double.isFinite(t.valMetric())) continue;
            x.add(t.flops() / 1e6);
            y.add(t.valMetric());
        }
        if (x.isEmpty()) { // nothing measured: an empty panel still says so
            chart.addSeries("no child with a known cost", List.of(0.0), List.of(0.0)).setMarker(SeriesMarkers.NONE);
            return chart;
        }
        XYSeries all = chart.addSeries("children", x, y);
        all.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        all.setMarkerColor(new Color(120, 120, 200));
        List<Trial> front = Pareto.front(trials);
        XYSeries f = chart.addSeries("Pareto front", front.stream().map(t -> t.flops() / 1e6).toList(),
                front.stream().map(Trial::valMetric).toList());
        f.setMarker(SeriesMarkers.DIAMOND);
        f.setLineColor(new Color(200, 60, 40));
        f.setMarkerColor(new Color(200, 60, 40));
        for (Map.Entry<String, ReferencePoint> r : references.entrySet()) {
            XYSeries s = chart.addSeries(r.getKey(), List.of(r.getValue().cost().flops() / 1e6), List.of(r.getValue().accuracy()));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CROSS);
        }
        return chart;
    }
}
