package org.nasengine.nas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nasengine.nas.space.MacroCnn;

class PromotionAndParetoTest {
    private static MacroCnn arch(int filters) {
        return new MacroCnn(List.of(new MacroCnn.Layer(3, 3, filters, 1)));
    }

    private static Trial trial(int id, int filters, double accuracy, double mflops, String status) {
        return new Trial(id, 0, "test", arch(filters), accuracy, accuracy, 100, mflops * 1e6, 1, status, null, Double.NaN, 0);
    }

    @Test
    void theFrontKeepsOnlyChildrenNoOtherBeatsOnAccuracyAndCost() {
        List<Trial> trials = List.of(trial(0, 8, 0.80, 5, "ok"), trial(1, 9, 0.85, 10, "ok"), trial(2, 10, 0.83, 12, "ok"),
                trial(3, 11, 0.90, 30, "ok"), trial(4, 12, 0.95, 2, "failed"), trial(5, 13, 0.79, 6, "ok"));
        List<Integer> front = Pareto.front(trials).stream().map(Trial::id).toList();
        assertEquals(List.of(0, 1, 3), front, "2 is beaten by 1 (dearer and worse), 5 by 0; a failed child never counts");
    }

    @Test
    void mnasnetObjectiveTradesAccuracyForCost() {
        Objective o = new Objective(Objective.Kind.MNASNET, 20e6, -0.07);
        assertEquals(0.9, o.reward(0.9, 20e6), 1e-12, "at the target the reward is the accuracy");
        assertEquals(0.9 * Math.pow(2, -0.07), o.reward(0.9, 40e6), 1e-12);
        assertTrue(o.reward(0.9, 10e6) > 0.9, "cheaper than the target earns a bonus");
        assertEquals(0.9, Objective.ACCURACY.reward(0.9, 40e6));
        assertThrows(IllegalArgumentException.class, () -> new Objective(Objective.Kind.MNASNET, 0, -0.07));
        assertThrows(IllegalArgumentException.class, () -> new Objective(Objective.Kind.MNASNET, 1e6, Double.NaN));
    }

    @Test
    void promotionEvaluatesTheBestOnceAndAResumeSkipsThoseDone() throws Exception {
        List<Trial> searched = new ArrayList<>(List.of(trial(0, 8, 0.80, 5, "ok"), trial(1, 9, 0.85, 10, "ok"),
                trial(2, 10, 0.83, 12, "ok"), trial(3, 11, 0.90, 30, "diverged")));
        MemoryStore store = new MemoryStore();
        searched.forEach(store::append);
        AtomicInteger calls = new AtomicInteger();
        ChildEvaluator higher = (id, a, seed) -> {
            calls.incrementAndGet();
            double acc = ((MacroCnn) a).layer(0).filters() == 10 ? 0.95 : 0.5; // the higher fidelity reverses the order
            return new ChildResult(acc, acc, 100, 1e6, 1, "ok", null, Double.NaN);
        };
        List<Trial> promoted = Promotion.run(store, searched, 2, higher, 1, "test", new SearchLoop.Listener() {});
        assertEquals(2, calls.get());
        assertEquals(List.of(10, 9), promoted.stream().map(t -> ((MacroCnn) t.arch()).layer(0).filters()).toList(),
                "the two best ok children (1 and 2), best first by the higher fidelity");
        assertTrue(promoted.stream().allMatch(t -> t.rung() == 1 && t.id() >= 4), "recorded as rung 1 after the search's ids");

        List<Trial> again = Promotion.run(store, searched, 2, higher, 1, "test", new SearchLoop.Listener() {});
        assertEquals(2, calls.get(), "a resumed search evaluates nothing again");
        assertEquals(promoted, again);
    }
}
