package org.nasengine.nas.controller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.child.MacroCnnNetwork;
import org.nasengine.nas.space.BudgetedSpace;
import org.nasengine.nas.space.CostBudget;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nas.space.MacroCnnSpace;
import org.nasengine.nas.space.NasNetSpace;
import org.nasengine.nas.space.RnnCellSpace;
import org.nasengine.tensor.Rng;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;

class ControllerTest {
    private static final MacroCnnSpace TINY = new MacroCnnSpace(2, new int[] {1, 3}, new int[] {24}, new int[] {1, 2});

    /** Every token sequence of the given cardinalities, in mixed-radix order. */
    private static List<int[]> everySequence(int[] cards) {
        int combos = 1;
        for (int k : cards) combos *= k;
        List<int[]> out = new java.util.ArrayList<>(combos);
        for (int code = 0; code < combos; code++) {
            int[] tokens = new int[cards.length];
            int rest = code;
            for (int t = 0; t < cards.length; t++) {
                tokens[t] = rest % cards[t];
                rest /= cards[t];
            }
            out.add(tokens);
        }
        return out;
    }

    @Test
    void probabilitiesOfEverySequenceSumToOne() {
        try (JavaBackend be = new JavaBackend(); Controller c = new Controller(be, List.of(TINY), 2, 8, 0.5f, 3)) {
            int[] cards = TINY.tokenCardinalities();
            assertEquals(9, cards.length); // per layer kh, kw, filters, stride; layer 1 adds one anchor bit
            double total = 0;
            List<int[]> sequences = everySequence(cards);
            int combos = sequences.size();
            try (Tape.Guard g = Tape.noGrad()) {
                for (int[] tokens : sequences) {
                    try (Scope s = Scope.open()) {
                        total += Math.exp(c.run(TINY, tokens, null).logProb().item());
                    }
                }
            }
            assertEquals(1.0, total, 1e-6, "the policy must be a distribution over the " + combos + " sequences");
        }
    }

    @Test
    void aBudgetMasksChoicesAndThePolicyRenormalisesOverTheRest() {
        // TINY's sequences cost 2..~110 kFLOPs on a 6x6 image; 12 kFLOPs allows some and not others
        BudgetedSpace space = new BudgetedSpace(TINY, a -> MacroCnnNetwork.cost((MacroCnn) a, 1, 6, 6, 10),
                new CostBudget(12e3, 0), TINY.cheapestTokens());
        try (JavaBackend be = new JavaBackend(); Controller c = new Controller(be, List.of(TINY), 2, 8, 0.5f, 3)) {
            int[] cards = TINY.tokenCardinalities();
            double total = 0;
            int feasible = 0;
            List<int[]> sequences = everySequence(cards);
            int combos = sequences.size();
            try (Tape.Guard g = Tape.noGrad()) {
                for (int[] tokens : sequences) {
                    boolean fits = space.decode(tokens) != null
                            && MacroCnnNetwork.cost((MacroCnn) TINY.decode(tokens), 1, 6, 6, 10).flops() <= 12e3;
                    try (Scope s = Scope.open()) {
                        if (fits) {
                            feasible++;
                            total += Math.exp(c.run(space, tokens, null).logProb().item());
                        } else {
                            assertThrows(IllegalArgumentException.class, () -> c.run(space, tokens, null),
                                    "a sequence over the budget cannot be replayed");
                        }
                    }
                }
            }
            assertTrue(feasible > 10 && feasible < combos, "the budget is binding: " + feasible + " of " + combos);
            assertEquals(1.0, total, 1e-6, "the masked policy is a distribution over the " + feasible + " feasible sequences");
        }
    }

    @Test
    void replayingASampleGivesItsLogProbability() {
        for (var space : List.of(TINY, new MacroCnnSpace(4, MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, new int[] {1}),
                new NasNetSpace(2, 1, 8), new RnnCellSpace(2))) {
            try (JavaBackend be = new JavaBackend(); Controller c = new Controller(be, List.of(space), 2, 16, 0.08f, 11);
                 Tape.Guard g = Tape.noGrad(); Scope s = Scope.open()) {
                Rng rng = new Rng(5);
                Controller.Pass sampled = c.run(space, null, rng);
                Controller.Pass replayed = c.run(space, sampled.tokens(), null);
                assertArrayEquals(sampled.tokens(), replayed.tokens());
                assertEquals(sampled.logProb().item(), replayed.logProb().item(), 1e-9, space.space());
                assertTrue(sampled.entropy().item() > 0, "entropy of a near-uniform policy is positive");
                space.decode(sampled.tokens()); // decodes to the spec's JSON without error
            }
        }
    }
}
