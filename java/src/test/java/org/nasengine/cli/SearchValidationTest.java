package org.nasengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.backend.cuda.CudaBackend;

/** Every search option is checked before anything shows: no first line, no progress bar, no folder, no child. */
class SearchValidationTest {

    @Test
    void everyBadOptionIsRefusedBeforeAnyOutput(@TempDir Path dir) {
        List<String[]> cases = new ArrayList<>(List.of(new String[][] {
                {"--budget", "0", "--budget (0) must be >= 1"},
                {"--children-per-update", "0", "--children-per-update (0) must be >= 1"},
                {"--child-epochs", "0", "--child-epochs (0) must be >= 1"},
                {"--train-subset", "-5", "--train-subset (-5) must be >= 0"},
                {"--final-epochs", "-1", "--final-epochs (-1) must be >= 0"},
                {"--batch", "1", "--batch (1) must be >= 2"},
                {"--lr", "0", "--lr (0.0) must be a number > 0"},
                {"--layers", "3", "--max-layers", "2", "--max-layers (2) must be >= --layers (3)"},
                {"--grow-every", "0", "--grow-every (0) must be >= 1"},
                {"--strides", "1,4", "--strides: 4 must be 1, 2 or 3"},
                {"--controller-lr", "-1", "--controller-lr (-1.0) must be a number > 0"},
                {"--baseline-decay", "1", "--baseline-decay (1.0) must be in [0, 1)"},
                {"--controller-hidden", "0", "--controller-hidden (0) must be >= 1"},
                {"--top-k", "0", "--top-k (0) must be >= 1"},
                {"--nasnet-blocks", "11", "--nasnet-blocks (11) must be 1..10"},
                {"--validation", "-1", "--validation (-1) must be >= 0"},
                {"--workers", "0", "--workers (0) must be >= 1"},
                {"--threads", "-2", "--threads (-2) must be >= 0"},
                {"--device", "tpu", "device 'tpu' is not one of java, cpu, cuda, cuda:N, auto"},
        }));
        if (!CudaBackend.isAvailable()) cases.add(new String[] {"--device", "cuda", "backend cuda is unavailable"});
        for (String[] c : cases) {
            Path out = dir.resolve("o");
            List<String> args = new ArrayList<>(List.of("search", "--dataset", "synthetic", "--out", out.toString()));
            args.addAll(List.of(c).subList(0, c.length - 1));
            SearchFolderTest.Run r = SearchFolderTest.run(args.toArray(String[]::new));
            String expected = c[c.length - 1];
            assertEquals(2, r.exit(), () -> String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains("error: " + expected), () -> "expected '" + expected + "' in: " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            assertFalse(r.err().contains("search:") || r.err().contains("%"), "nothing before the error: " + r.err());
            assertFalse(Files.exists(out), "no folder left behind: " + String.join(" ", c));
        }
    }
}
