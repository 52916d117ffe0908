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
 * work disturbs least; the ratio of the means over the timed steps is printed beside it. Each run
 * waits for a quiet machine first, and the table says how many cores other processes took while
 * it ran (this process's own polling aside), so disturbed pairs can be told apart. Takes {@link RunOptions}' options (without --engine) plus {@code --pairs N}.
 */
public final class Compare {
    /** Others' load (cores) under which a run counts as undisturbed. */
    private static final double CLEAN = 0.25;
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
        System.out.println("| pair | ours images/s | peer images/s | ours/peer | ours/peer (mean) | ours peak RSS MiB | peer peak RSS MiB "
                + "| others' load ours/peer (cores) | ours loss first→last | peer loss first→last |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
        double[] ratios = new double[pairs], oursRss = new double[pairs], peerRss = new double[pairs];
        double[] oursIps = new double[pairs], peerIps = new double[pairs], meanRatios = new double[pairs];
        List<Double> clean = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            Run a = runChild(o.withEngine("ours")), b = runChild(o.withEngine("peer"));
            // images/s from the median step: a step slowed by another process on the machine does not count
            oursIps[p] = o.batch() / (number(a, "median_step_ms") / 1e3);
            peerIps[p] = o.batch() / (number(b, "median_step_ms") / 1e3);
            ratios[p] = oursIps[p] / peerIps[p];
            meanRatios[p] = number(a, "images_per_sec") / number(b, "images_per_sec");
            oursRss[p] = number(a, "peak_rss_mb");
            peerRss[p] = number(b, "peak_rss_mb");
            if (a.othersCores() < CLEAN && b.othersCores() < CLEAN) clean.add(ratios[p]);
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.3f | %.3f | %.0f | %.0f | %.2f / %.2f | %.3f→%.3f | %.3f→%.3f |%n", p + 1,
                    oursIps[p], peerIps[p], ratios[p], meanRatios[p], oursRss[p], peerRss[p], a.othersCores(), b.othersCores(),
                    number(a, "first_loss"),
                    number(a, "last_loss"), number(b, "first_loss"), number(b, "last_loss"));
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%nratio ours/peer of images/s (from each run's median step): median %.3f, spread %.3f..%.3f "
                        + "(%d pairs); from the mean over the timed steps: median %.3f; median images/s ours %.1f, peer %.1f; "
                        + "peak RSS median ours %.0f MiB, peer %.0f MiB%n",
                StepRun.median(ratios), sorted[0], sorted[sorted.length - 1], pairs, StepRun.median(meanRatios), StepRun.median(oursIps),
                StepRun.median(peerIps), StepRun.median(oursRss), StepRun.median(peerRss));
        System.out.printf(Locale.ROOT, "pairs where other processes took under %.2f cores during both runs: %d, median ratio %s%n",
                CLEAN, clean.size(), clean.isEmpty() ? "-" : String.format(Locale.ROOT, "%.3f",
                        StepRun.median(clean.stream().mapToDouble(Double::doubleValue).toArray())));
    }

    /** A child's JSON line and the CPU (in cores, averaged over its life) that other processes took meanwhile. */
    record Run(String json, double othersCores) {}

    /**
     * Runs {@link StepRun} in a fresh JVM with this classpath, after waiting (up to 5 minutes) for
     * the machine to be quiet; returns its JSON line and the others' load during it.
     */
    static Run runChild(RunOptions o) throws IOException, InterruptedException {
        MachineLoad.waitForQuiet(0.3, 300);
        long[] before = MachineLoad.sample();
        long t0 = System.nanoTime();
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
        double wall = (System.nanoTime() - t0) / 1e9;
        double others = (MachineLoad.busySeconds(before, MachineLoad.sample()) - number(last, "cpu_seconds")) / wall;
        return new Run(last, Math.max(0, others));
    }

    static double number(Run run, String key) {
        return number(run.json(), key);
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile(String.format(NUMBER.pattern(), key)).matcher(json);
        if (!m.find()) throw new IllegalArgumentException("no \"" + key + "\" in " + json);
        return Double.parseDouble(m.group(1));
    }
}
