package org.nasengine.cli;

import me.tongfei.progressbar.ProgressBar;
import org.nasengine.nas.child.ImageTrainer;
import org.nasengine.nas.search.SearchLoop;
import org.nasengine.nas.search.Trial;
import org.nasengine.nas.space.Architecture;

/** Feeds the search's progress bar: children done, the current child's steps, the best reward so far, time left. */
final class SearchProgress implements SearchLoop.Listener {
    private final ProgressBar bar;
    private double best = Double.NaN;
    private int current = -1;

    SearchProgress(ProgressBar bar) { this.bar = bar; }

    @Override
    public synchronized void childStarted(int trialId, Architecture arch) { current = trialId; }

    @Override
    public synchronized void childFinished(Trial t, double bestReward) {
        best = bestReward;
        bar.step();
        bar.setExtraMessage(String.format(" best %s | child %d %s %.4f", bestText(), t.id(), t.status(), t.reward()));
    }

    @Override
    public void converged(int evaluated, int proposed) {
        System.err.printf("%nthe strategy converged: %d distinct children in %d proposals; the search ends early%n", evaluated, proposed);
    }

    private String bestText() {
        return Double.isNaN(best) ? "-" : String.format("%.4f", best);
    }

    ImageTrainer.Listener childListener() {
        return new ImageTrainer.Listener() {
            @Override
            public void step(int epoch, long step, long total, float loss, double imagesPerSec) {
                if (step % 10 == 0)
                    bar.setExtraMessage(String.format(" best %s | child %d step %d/%d loss %.3f", bestText(), current, step, total, loss));
            }
        };
    }
}
