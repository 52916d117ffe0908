package org.nasengine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
    @Test
    void constant() {
        LrSchedule s = LrSchedule.constant(0.05f);
        assertEquals(0.05f, s.at(0));
        assertEquals(0.05f, s.at(10_000));
    }

    @Test
    void cosineRunsFromBaseToMin() {
        LrSchedule s = LrSchedule.cosine(0.1f, 0.001f, 100);
        assertEquals(0.1f, s.at(0), 1e-7f);
        assertEquals((0.1f + 0.001f) / 2, s.at(50), 1e-6f);
        assertEquals(0.001f, s.at(100), 1e-7f);
        assertEquals(0.001f, s.at(500), 1e-7f);
        for (int i = 1; i <= 100; i++) assertTrue(s.at(i) <= s.at(i - 1), "cosine rose at step " + i);
    }

    @Test
    void stepDecay() {
        LrSchedule s = LrSchedule.step(0.1f, 0.5f, 10);
        assertEquals(0.1f, s.at(9), 1e-7f);
        assertEquals(0.05f, s.at(10), 1e-7f);
        assertEquals(0.025f, s.at(25), 1e-7f);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(-1f));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(0.1f, 0f, 0));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.step(0.1f, 0.5f, 0));
    }
}
