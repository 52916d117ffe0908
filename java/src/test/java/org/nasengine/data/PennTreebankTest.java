package org.nasengine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.SharedFiles;

/** Figures from shared/data/ptb/README.md. */
class PennTreebankTest {

    private static int count(int[] ids, int id) {
        int n = 0;
        for (int v : ids) if (v == id) n++;
        return n;
    }

    @Test
    void tokenCountsOfTheSharedCorpus() throws IOException {
        TokenDataset ptb = PennTreebank.load(SharedFiles.path("data/ptb"));
        assertEquals(929_589, ptb.train().length);
        assertEquals(73_760, ptb.validation().length);
        assertEquals(82_430, ptb.test().length);
        assertEquals(10_000, ptb.vocabulary().size());
        int eos = ptb.vocabulary().id(PennTreebank.EOS);
        assertEquals(42_068, count(ptb.train(), eos), "one <eos> per training line");
        assertEquals(3_370, count(ptb.validation(), eos));
        assertEquals(3_761, count(ptb.test(), eos));
        // most frequent first: "the" leads PTB, then <unk> and <eos>
        assertEquals(List.of("the", "<unk>", "<eos>"), ptb.vocabulary().words().subList(0, 3));
        // each line starts with a space: the first training sentence begins "aer banknote berlitz"
        assertEquals("aer", ptb.vocabulary().word(ptb.train()[0]));
        assertEquals("banknote", ptb.vocabulary().word(ptb.train()[1]));
    }

    @Test
    void vocabularyOrderAndUnknownWords(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ptb.train.txt"), " b a <unk> \n a b a \n");
        Files.writeString(dir.resolve("ptb.valid.txt"), " c a\n\n");
        Files.writeString(dir.resolve("ptb.test.txt"), "a");
        TokenDataset d = PennTreebank.load(dir);
        // counts: a 3, b 2, <eos> 2, <unk> 1; ties alphabetical
        assertEquals(List.of("a", "<eos>", "b", "<unk>"), d.vocabulary().words());
        assertArrayEquals(new int[] {2, 0, 3, 1, 0, 2, 0, 1}, d.train());
        // "c" is unknown; the empty line still ends a sentence
        assertArrayEquals(new int[] {3, 0, 1, 1}, d.validation());
        // no final newline: the last line still gets its <eos>
        assertArrayEquals(new int[] {0, 1}, d.test());
    }

    @Test
    void unknownWordWithoutUnkIsAnError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ptb.train.txt"), "a b\n");
        Files.writeString(dir.resolve("ptb.valid.txt"), "a b\n");
        Path test = dir.resolve("ptb.test.txt");
        Files.writeString(test, "a z\n");
        assertEquals(test + ": word \"z\" is not in the training vocabulary, which has no <unk>",
                assertThrows(DatasetException.class, () -> PennTreebank.load(dir)).getMessage());
    }

    @Test
    void missingFileListsTheExpectedNames(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ptb.train.txt"), "a\n");
        Files.writeString(dir.resolve("ptb.test.txt"), "a\n");
        assertEquals(dir + ": no ptb.valid.txt or ptb.valid.txt.gz for ptb (expected ptb.train.txt, ptb.valid.txt, ptb.test.txt)",
                assertThrows(DatasetException.class, () -> PennTreebank.load(dir)).getMessage());
    }
}
