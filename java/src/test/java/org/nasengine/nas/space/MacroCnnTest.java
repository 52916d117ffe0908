package org.nasengine.nas.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nasengine.SharedFiles;

class MacroCnnTest {

    private static MacroCnn refCnnA() throws IOException {
        return (MacroCnn) ArchitectureCodec.read(SharedFiles.path("spec/arch/ref-cnn-a.json"));
    }

    @Test
    void paramsOfRefCnnAByHand() throws IOException {
        MacroCnn a = refCnnA();
        // layer: kh*kw*cin*filters + 2*filters, for a 3-channel image
        long l0 = 3 * 3 * 3 * 36 + 2 * 36;          // image: 1,044
        long l1 = 3 * 3 * 36 * 36 + 2 * 36;         // [0]: 11,736
        long l2 = 5 * 5 * (36 + 36) * 48 + 2 * 48;  // [0, 1]: 86,496
        long l3 = 3 * 3 * 48 * 48 + 2 * 48;         // [2]: 20,832
        long l4 = 3 * 5 * 48 * 64 + 2 * 64;         // [3]: 46,208
        long l5 = 3 * 3 * (36 + 64) * 64 + 2 * 64;  // [1, 4]: 57,728
        long head = 64 * 10 + 10;                   // only layer 5 is unread: 650
        assertEquals(224_694L, l0 + l1 + l2 + l3 + l4 + l5 + head);
        assertEquals(224_694L, a.params(3, 10));
        // a grey image changes only layer 0: 3*3*1*36 + 72 = 396
        assertEquals(224_694L - 1_044 + 396, a.params(1, 10));
    }

    @Test
    void graphHelpersOfRefCnnA() throws IOException {
        MacroCnn a = refCnnA();
        assertEquals(List.of(List.of(1, 2), List.of(2, 5), List.of(3), List.of(4), List.of(5), List.of()), a.consumers());
        assertEquals(List.of(5), a.unreadOutputs());
        assertArrayEquals(new int[] {3, 36, 72, 48, 48, 100}, a.inputChannels(3));
        assertEquals(64, a.classifierChannels());
    }

    @Test
    void spatialSizesChainThroughJoins() throws IOException {
        MacroCnn a = refCnnA();
        // layer 3 has stride 2; layer 5 joins layer 1 (32) and layer 4 (16) at the larger size
        assertArrayEquals(new int[] {32, 32, 32, 32, 16, 32}, a.inputSizes(32));
        assertArrayEquals(new int[] {32, 32, 32, 16, 16, 32}, a.outputSizes(32));
        assertArrayEquals(new int[] {28, 28, 28, 14, 14, 28}, a.outputSizes(28));
        assertEquals(32, a.classifierSize(32));

        // ceil: 7 -> 3 (stride 3), a layer without inputs reads the image again, the head joins both
        MacroCnn m = new MacroCnn(List.of(
                new MacroCnn.Layer(3, 3, 4, 3),
                new MacroCnn.Layer(3, 3, 4, 2, 0),
                new MacroCnn.Layer(1, 1, 2, 1)));
        assertArrayEquals(new int[] {7, 3, 7}, m.inputSizes(7));
        assertArrayEquals(new int[] {3, 2, 7}, m.outputSizes(7));
        assertEquals(List.of(1, 2), m.unreadOutputs());
        assertEquals(7, m.classifierSize(7));
        assertEquals(6, m.classifierChannels());
        assertEquals(1, m.outputSizes(1)[1]);
    }

    @Test
    void rejectsNonPositiveImageArguments() throws IOException {
        MacroCnn a = refCnnA();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.params(0, 10));
        assertEquals("imageChannels (0) must be > 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.params(3, 0));
        assertEquals("classes (0) must be > 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.outputSizes(0));
        assertEquals("imageSize (0) must be > 0", e.getMessage());
    }

    @Test
    void constructorValidatesProgrammaticValues() {
        ArchitectureException e = assertThrows(ArchitectureException.class,
                () -> new MacroCnn(List.of(new MacroCnn.Layer(3, 3, 8, 1), new MacroCnn.Layer(3, 3, 8, 1, 1))));
        assertEquals("layers[1].inputs: 1 is not an earlier layer", e.getMessage());
    }
}
