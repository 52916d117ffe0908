package org.nasengine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nasengine.backend.Backend;
import org.nasengine.data.FashionMnist;
import org.nasengine.data.HoldOut;
import org.nasengine.data.ImageDataset;
import org.nasengine.data.ImageSplit;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.ImageNetwork;
import org.nasengine.nas.child.ImageTrainer;
import org.nasengine.nas.child.MacroCnnNetwork;
import org.nasengine.nas.child.TrainConfig;
import org.nasengine.nas.child.TrainResult;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.BudgetedSpace;
import org.nasengine.nas.space.CostBudget;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nas.space.MacroCnnSpace;
import org.nasengine.nas.strategy.Sampling;
import org.nasengine.tensor.Rng;

/**
 * How well each cheap proxy ranks children like the final training does: random children of the
 * default search's chained space (5 or 6 layers within the cost budget) are trained at every proxy and
 * then with the final recipe (3 epochs on the whole training split, test accuracy); the table
 * gives Spearman's rank correlation of each proxy's validation accuracy with the final test
 * accuracy, and each proxy's mean seconds per child. Each child's figures are appended to
 * OUT/children.jsonl as soon as they exist, so a killed run continues where it stopped.
 *
 * <p>Usage: {@code ProxyCorrelation OUT CHILDREN MAX_MFLOPS [DEVICE]}
 */
public final class ProxyCorrelation {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A proxy: training images (0: all) and epochs, with the search's recipe (batch 64, lr 0.05, cosine). */
    record Proxy(String name, int images, int epochs) {}

    static final List<Proxy> PROXIES = List.of(new Proxy("3k x 1", 3_000, 1), new Proxy("6k x 1", 6_000, 1),
            new Proxy("12k x 1", 12_000, 1), new Proxy("30k x 1", 30_000, 1));

    public static void main(String[] args) throws IOException {
        if (args.length < 3) throw new IllegalArgumentException("usage: ProxyCorrelation OUT CHILDREN MAX_MFLOPS [DEVICE]");
        Path out = Path.of(args[0]);
        int children = Integer.parseInt(args[1]);
        double maxMflops = Double.parseDouble(args[2]);
        Files.createDirectories(out);
        Path log = out.resolve("children.jsonl");
        List<JsonNode> done = new ArrayList<>();
        if (Files.exists(log)) for (String line : Files.readAllLines(log)) if (!line.isBlank()) done.add(JSON.readTree(line));

        ImageDataset ds = FashionMnist.load(new HoldOut(0.125, 5_000, 1));
        Rng rng = new Rng(2026);
        try (Backend backend = BenchBackends.open(args.length > 3 ? args[3] : "cpu")) {
            for (int i = 0; i < children; i++) {
                int layers = 5 + rng.nextInt(2);
                MacroCnnSpace inner = new MacroCnnSpace(layers, MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, new int[] {1, 2}, true);
                BudgetedSpace space = new BudgetedSpace(inner, a -> MacroCnnNetwork.cost((MacroCnn) a, 1, 28, 28, 10),
                        new CostBudget(maxMflops * 1e6, 0), inner.cheapestTokens());
                Architecture arch = space.decode(Sampling.uniform(space, rng)); // drawn even when done: the sequence stays the same
                if (i < done.size()) continue;
                ObjectNode row = JSON.createObjectNode();
                row.put("child", i);
                row.set("arch", ArchitectureCodec.toTree(arch));
                row.put("mflops", MacroCnnNetwork.cost((MacroCnn) arch, 1, 28, 28, 10).flops() / 1e6);
                for (Proxy p : PROXIES) {
                    long start = System.nanoTime();
                    TrainResult r = train(arch, ds.train().sample(p.images(), 1), ds, p.epochs(), false, backend, i);
                    row.put(p.name(), r.lastValAccuracy());
                    row.put(p.name() + " s", (System.nanoTime() - start) / 1e9);
                }
                long start = System.nanoTime();
                TrainResult fin = train(arch, ds.train(), ds, 3, true, backend, i);
                row.put("final val", fin.lastValAccuracy());
                row.put("final test", fin.testAccuracy());
                row.put("final s", (System.nanoTime() - start) / 1e9);
                Files.writeString(log, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                done.add(row);
                System.err.printf("child %d/%d: %.1f MFLOPs, final test %.4f%n", i + 1, children, row.get("mflops").asDouble(),
                        fin.testAccuracy());
            }
        }
        System.out.print(table(done));
    }

    private static TrainResult train(Architecture arch, ImageSplit train, ImageDataset ds, int epochs, boolean test, Backend backend,
                                     long seed) {
        TrainConfig cfg = new TrainConfig(epochs, 64, 0.05f, "sgd", 0.9f, 1e-4f, true, "cosine", 0, 5, false, false, seed);
        try (ImageNetwork net = ChildBuilder.image(arch, 1, 28, 28, 10, backend, seed)) {
            return ImageTrainer.train(net, train, ds.validation(), test ? ds.test() : null, cfg, new ImageTrainer.Listener() {});
        }
    }

    static String table(List<JsonNode> rows) {
        double[] fin = rows.stream().mapToDouble(r -> r.get("final test").asDouble()).toArray();
        StringBuilder sb = new StringBuilder(String.format("%d children; final = 3 epochs on the whole training split, test accuracy"
                + " (mean %.4f, best %.4f)%n%n", rows.size(), Arrays.stream(fin).average().orElse(Double.NaN),
                Arrays.stream(fin).max().orElse(Double.NaN)));
        sb.append("| proxy (training images x epochs) | Spearman with final test | mean seconds per child |\n|---|---|---|\n");
        Map<String, String> names = new LinkedHashMap<>();
        for (Proxy p : PROXIES) names.put(p.name(), p.name() + " s");
        names.put("final val", "final s");
        for (Map.Entry<String, String> e : names.entrySet()) {
            double[] proxy = rows.stream().mapToDouble(r -> r.get(e.getKey()).asDouble()).toArray();
            double seconds = rows.stream().mapToDouble(r -> r.get(e.getValue()).asDouble()).average().orElse(Double.NaN);
            sb.append(String.format("| %s | %.3f | %.1f |%n", e.getKey(), spearman(proxy, fin), seconds));
        }
        return sb.toString();
    }

    /** Spearman's rho: Pearson's correlation of the ranks, ties given their mean rank. */
    static double spearman(double[] a, double[] b) {
        return pearson(ranks(a), ranks(b));
    }

    static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(v[x], v[y]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) j++;
            for (int k = i; k <= j; k++) r[order[k]] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        return r;
    }

    static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0), my = Arrays.stream(y).average().orElse(0), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
