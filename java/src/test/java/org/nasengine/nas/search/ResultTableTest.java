package org.nasengine.nas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.space.Nb201;
import org.nasengine.nas.space.Nb201Space;
import org.nasengine.nas.space.RestrictedSpace;
import org.nasengine.nas.strategy.Sampling;
import org.nasengine.tensor.Rng;

class ResultTableTest {
    static final String A = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";
    static final String B = "|none~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|none~1|avg_pool_3x3~2|";

    private static Path write(Path dir, String text) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsTheNamedColumnsOfQuotedOrPlainRows(@TempDir Path dir) throws Exception {
        Path f = write(dir, "id,arch_str,score,held\n0," + A + ",81.5,93.1\n1,\"" + B + "\",\" 40\",12.25\n");
        ResultTable t = ResultTable.load(f, "score", "held");
        assertEquals(2, t.size());
        assertEquals(81.5, t.row(A).metric());
        assertEquals(93.1, t.row(A).report());
        assertEquals(40, t.row(B).metric());
        assertEquals(3, t.row(B).line());
        assertNull(t.row("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"));
        ChildResult r = new TableEvaluator(t).evaluate(0, Nb201.of(Nb201.parseCell(A)), 1);
        assertEquals(81.5, r.reward());
        assertEquals(93.1, r.report());
    }

    @Test
    void problemsNameFileLineAndColumn(@TempDir Path dir) throws Exception {
        String header = "id,arch_str,score,held\n";
        String missing = message(write(dir, header + "0," + A + ",1,2\n"), "accuracy", "held");
        assertTrue(missing.contains("t.csv line 1: no column 'accuracy'") && missing.contains("id, arch_str, score, held"), missing);
        String fields = message(write(dir, header + "0," + A + ",1,2\n1," + B + ",3\n"), "score", "held");
        assertTrue(fields.contains("t.csv line 3: 3 fields, the header has 4"), fields);
        String number = message(write(dir, header + "0," + A + ",1,2\n1," + B + ",3,n/a\n"), "score", "held");
        assertTrue(number.contains("t.csv line 3 column held: 'n/a' is not a finite number"), number);
        String cell = message(write(dir, header + "0," + A.replace("avg_pool_3x3", "max_pool_3x3") + ",1,2\n"), "score", "held");
        assertTrue(cell.contains("t.csv line 2 column arch_str: unknown cell") && cell.contains("max_pool_3x3"), cell);
        String twice = message(write(dir, header + "0," + A + ",1,2\n1," + A + ",1,2\n"), "score", "held");
        assertTrue(twice.contains("t.csv line 3 column arch_str: cell") && twice.contains("already on line 2"), twice);
        String quote = message(write(dir, header + "0,\"" + A + ",1,2\n"), "score", "held");
        assertTrue(quote.contains("t.csv line 2 field 2: unterminated quote"), quote);
    }

    private static String message(Path f, String metric, String report) {
        return assertThrows(ResultTable.TableException.class, () -> ResultTable.load(f, metric, report)).getMessage();
    }

    @Test
    void restrictedSpaceSamplesOnlyTheTablesCells() {
        Nb201Space base = Nb201Space.benchmark();
        List<int[]> cells = List.of(base.encode(Nb201.of(Nb201.parseCell(A))), base.encode(Nb201.of(Nb201.parseCell(B))));
        DecisionSpace r = RestrictedSpace.of(base, cells);
        Rng rng = new Rng(3);
        for (int i = 0; i < 50; i++) {
            String cell = ((Nb201) r.decode(Sampling.uniform(r, rng))).cellString();
            assertTrue(cell.equals(A) || cell.equals(B), cell);
            String mutated = ((Nb201) r.decode(Sampling.mutate(r, Sampling.uniform(r, rng), rng))).cellString();
            assertTrue(mutated.equals(A) || mutated.equals(B), mutated);
        }
    }
}
