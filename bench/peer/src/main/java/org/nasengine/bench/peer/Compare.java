package org.nasengine.bench.peer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ours against the peer, alternately A B A B ... for {@code --pairs} pairs, each run its own JVM
 * (so each peak RSS is that engine's alone) with the same options. Prints each pair's images/s
 * and ratio ours/peer, then the median and spread of the ratios and both peak RSS figures, as
 * markdown. Images/s come from each run's median step time, which a machine shared with other
 * work disturbs least; the ratio of the means over the timed steps is printed beside it. Takes {@link RunOptions}' options (without --engine) plus {@code --pairs N}.
 */
public final class Compare {
    private static final Pattern NUMBER = Pattern.compile("\"%s\":(-?[0-9.eE+-]+|NaN)");

    private Compare() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        int pairs = 3;
        List<String> rest = new ArrayList<>(List.of("--engine", "ours"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--pairs")) pairs = Integer.parseInt(args[++i]);
            else rest.add(args[i]);
        }
        if (pairs < 1) throw new IllegalArgumentException("--pairs (" + pairs + ") must be >= 1");
        RunOptions o = RunOptions.parse(rest.toArray(String[]::new));
        System.out.printf(Locale.ROOT, "arch %s, batch %d, %d threads each, %s, %d warm-up + %d timed steps a run, %d pairs%n%n",
                o.arch().getFileName(), o.batch(), o.threads(), o.dataset(), o.warmup(), o.steps(), pairs);
        System.out.println("| pair | ours images/s | peer images/s | ours/peer | ours/peer (mean) | ours peak RSS MiB | peer peak RSS MiB | ours loss first→last | peer loss first→last |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---|---|");
        double[] ratios = new double[pairs], oursRss = new double[pairs], peerRss = new double[pairs];
        double[] oursIps = new double[pairs], peerIps = new double[pairs], meanRatios = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            String a = runChild(o.withEngine("ours")), b = runChild(o.withEngine("peer"));
            // images/s from the median step: a step slowed by another process on the machine does not count
            oursIps[p] = o.batch() / (number(a, "median_step_ms") / 1e3);
            peerIps[p] = o.batch() / (number(b, "median_step_ms") / 1e3);
            ratios[p] = oursIps[p] / peerIps[p];
            meanRatios[p] = number(a, "images_per_sec") / number(b, "images_per_sec");
            oursRss[p] = number(a, "peak_rss_mb");
            peerRss[p] = number(b, "peak_rss_mb");
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.3f | %.3f | %.0f | %.0f | %.3f→%.3f | %.3f→%.3f |%n", p + 1,
                    oursIps[p], peerIps[p], ratios[p], meanRatios[p], oursRss[p], peerRss[p], number(a, "first_loss"),
                    number(a, "last_loss"), number(b, "first_loss"), number(b, "last_loss"));
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%nratio ours/peer of images/s (from each run's median step): median %.3f, spread %.3f..%.3f "
                        + "(%d pairs); from the mean over the timed steps: median %.3f; median images/s ours %.1f, peer %.1f; "
                        + "peak RSS median ours %.0f MiB, peer %.0f MiB%n",
                StepRun.median(ratios), sorted[0], sorted[sorted.length - 1], pairs, StepRun.median(meanRatios), StepRun.median(oursIps),
                StepRun.median(peerIps), StepRun.median(oursRss), StepRun.median(peerRss));
    }

    /** Runs {@link StepRun} in a fresh JVM with this classpath; returns its JSON line. */
    static String runChild(RunOptions o) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx2g",
                "-cp", System.getProperty("java.class.path"), StepRun.class.getName()));
        cmd.addAll(List.of(o.toArgs()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // the same thread caps for OpenMP and OpenBLAS on both sides, tracking off for DJL
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(o.threads()));
        pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(o.threads()));
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.redirectErrorStream(true);
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = proc.waitFor();
        String last = out.lines().filter(l -> l.startsWith("{\"engine\"")).reduce((x, y) -> y).orElse(null);
        if (rc != 0 || last == null)
            throw new IllegalStateException(o.engine() + " run failed (exit " + rc + "):\n" + out);
        return last;
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile(String.format(NUMBER.pattern(), key)).matcher(json);
        if (!m.find()) throw new IllegalArgumentException("no \"" + key + "\" in " + json);
        return Double.parseDouble(m.group(1));
    }
}
