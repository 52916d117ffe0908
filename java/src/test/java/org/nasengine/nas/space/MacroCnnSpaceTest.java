package org.nasengine.nas.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.controller.Controller;
import org.nasengine.nas.strategy.Sampling;
import org.nasengine.tensor.Rng;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;

class MacroCnnSpaceTest {
    private static final MacroCnnSpace CHAINED = new MacroCnnSpace(5, MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, new int[] {1, 2}, true);

    private static void assertChained(MacroCnn m) {
        for (int i = 1; i < m.size(); i++) assertTrue(m.layer(i).inputs().contains(i - 1), () -> "layer reads its predecessor: " + m.key());
    }

    @Test
    void everyChainedSampleReadsItsPredecessorAndRoundTrips() {
        Rng rng = new Rng(4);
        int withSkips = 0;
        for (int n = 0; n < 200; n++) {
            int[] tokens = Sampling.uniform(CHAINED, rng);
            MacroCnn m = CHAINED.decode(tokens);
            assertChained(m);
            assertArrayEquals(tokens, CHAINED.encode(m));
            if (m.layers().stream().anyMatch(l -> l.inputs().size() > 1)) withSkips++;
        }
        assertTrue(withSkips > 150, "the anchors still choose skip connections: " + withSkips);
        assertChained(CHAINED.decode(CHAINED.cheapestTokens()));
    }

    @Test
    void theControllerSamplesOnlyChainedNetworks() {
        try (JavaBackend be = new JavaBackend(); Controller c = new Controller(be, List.of(CHAINED), 1, 8, 0.5f, 1);
             Tape.Guard g = Tape.noGrad()) {
            Rng rng = new Rng(8);
            for (int n = 0; n < 20; n++) {
                try (Scope s = Scope.open()) {
                    assertChained(CHAINED.decode(c.run(CHAINED, null, rng).tokens()));
                }
            }
        }
    }

    @Test
    void anUnchainedArchitectureIsNotInTheChainedSpace() {
        MacroCnnSpace plain = new MacroCnnSpace(5, MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, new int[] {1, 2});
        MacroCnn fromImage = plain.decode(new int[plain.tokenCount()]); // every anchor 0: each layer reads the image
        assertEquals(List.of(), fromImage.layer(3).inputs());
        assertThrows(IllegalArgumentException.class, () -> CHAINED.encode(fromImage));
    }
}
