package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which device each search worker opens: GPUs shared round-robin, never an ordinal the machine lacks. */
class EngineTest {
    private static List<String> devices(String option, int workers, int gpus) {
        return IntStream.range(0, workers).mapToObj(k -> Engine.workerDevice(option, k, gpus)).toList();
    }

    @Test
    void oneGpuServesEveryWorker() {
        assertEquals(List.of("cuda:0", "cuda:0", "cuda:0", "cuda:0"), devices("cuda", 4, 1));
        assertEquals(List.of("cuda:0", "cuda:0"), devices("cuda:0", 2, 1));
    }

    @Test
    void workersTakeGpusRoundRobinFromTheFirstNamed() {
        assertEquals(List.of("cuda:0", "cuda:1", "cuda:0"), devices("cuda", 3, 2));
        assertEquals(List.of("cuda:1", "cuda:0", "cuda:1"), devices("cuda:1", 3, 2));
        assertEquals(List.of("cuda:0", "cuda:1", "cuda:2", "cuda:3"), devices("CUDA", 4, 8));
    }

    @Test
    void autoSpreadsOverGpusWhenThereAreSome() {
        assertEquals(List.of("cuda:0", "cuda:1", "cuda:0"), devices("auto", 3, 2));
        assertEquals(List.of("auto", "auto"), devices("auto", 2, 0), "no GPU: auto picks the CPU backend");
    }

    @Test
    void cpuDevicesAndMissingGpusAreLeftAlone() {
        assertEquals(List.of("cpu", "cpu"), devices("cpu", 2, 2));
        assertEquals(List.of("java", "java"), devices("java", 2, 1));
        assertEquals(List.of("cuda", "cuda"), devices("cuda", 2, 0), "opening then fails with the reason");
    }

    @Test
    void aFirstGpuTheMachineLacksIsAUserError() {
        UserError e = assertThrows(UserError.class, () -> Engine.workerDevice("cuda:2", 0, 1));
        assertTrue(e.getMessage().contains("cuda:2") && e.getMessage().contains("1 CUDA device (cuda:0)"), e.getMessage());
        UserError two = assertThrows(UserError.class, () -> Engine.workerDevice("cuda:5", 1, 2));
        assertTrue(two.getMessage().contains("cuda:0 to cuda:1"), two.getMessage());
        assertThrows(UserError.class, () -> Engine.workerDevice("cuda:x", 0, 1));
    }
}
