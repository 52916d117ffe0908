package org.nasengine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void vocabularyOrderAndSentenceEnds(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ptb.train.txt"), " b a <unk> \n a b a \n c\n");
        Files.writeString(dir.resolve("ptb.valid.txt"), " c a\n\n");
        Files.writeString(dir.resolve("ptb.test.txt"), "a");
        TokenDataset d = PennTreebank.load(dir);
        // counts: a 3, <eos> 3, b 2, <unk> 1, c 1; ties alphabetical
        assertEquals(List.of("<eos>", "a", "b", "<unk>", "c"), d.vocabulary().words());
        assertArrayEquals(new int[] {2, 1, 3, 0, 1, 2, 1, 0, 4, 0}, d.train());
        // the empty line still ends a sentence
        assertArrayEquals(new int[] {4, 1, 0, 0}, d.validation());
        // no final newline: the last line still gets its <eos>
        assertArrayEquals(new int[] {1, 0}, d.test());
        assertEquals(dir.resolve("ptb.valid.txt").toString(), d.source(TokenDataset.Split.VALIDATION));
    }

    /** Mikolov's splits share one vocabulary; a word of another split missing from the training text names file, line and word. */
    @Test
    void aWordMissingFromTheTrainingVocabularyIsAMismatch(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ptb.train.txt"), "a b <unk>\n");
        Files.writeString(dir.resolve("ptb.valid.txt"), "a b\n");
        Path test = dir.resolve("ptb.test.txt");
        Files.writeString(test, "a b\nb a\na z\nz\n");
        String message = assertThrows(DatasetException.class, () -> PennTreebank.load(dir)).getMessage();
        assertEquals(test + ": vocabulary mismatch: line 3 has the word \"z\", which ptb.train.txt (4 words) does not have; "
                + "2 tokens of this file are missing from it. The splits must come from one corpus: is a file cut short or from "
                + "another corpus?", message);
    }

    /** A gzip file cut short, bytes that are not UTF-8, binary data and an empty file: each named with what is wrong. */
    @Test
    void corruptOrTruncatedFilesAreNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ptb.train.txt"), "a b\n");
        Files.writeString(dir.resolve("ptb.test.txt"), "a b\n");
        Path valid = dir.resolve("ptb.valid.txt.gz");
        byte[] gz = gzip("a b a b\n".repeat(200));
        Files.write(valid, java.util.Arrays.copyOf(gz, gz.length / 2));
        String cut = assertThrows(DatasetException.class, () -> PennTreebank.load(dir)).getMessage();
        assertTrue(cut.startsWith(valid + ": truncated gzip data"), cut);

        Files.write(valid, new byte[] {'a', ' ', (byte) 0xC3, '(', '\n'});
        String bytes = assertThrows(DatasetException.class, () -> PennTreebank.load(dir)).getMessage();
        assertEquals(valid + ": not valid gzip data: Not in GZIP format", bytes);
        Files.delete(valid);
        Path plain = dir.resolve("ptb.valid.txt");
        Files.write(plain, new byte[] {'a', ' ', (byte) 0xC3, '(', '\n'});
        assertEquals(plain + ": not UTF-8 text: byte 0xc3 at offset 2 (a binary or damaged file?)",
                assertThrows(DatasetException.class, () -> PennTreebank.load(dir)).getMessage());
        Files.write(plain, new byte[] {'a', 0, 'b', '\n'});
        assertEquals(plain + ": binary data: a NUL byte near offset 1, not text",
                assertThrows(DatasetException.class, () -> PennTreebank.load(dir)).getMessage());
        Files.writeString(plain, "");
        assertEquals(plain + ": no words (the file is empty)", assertThrows(DatasetException.class, () -> PennTreebank.load(dir)).getMessage());
        Files.writeString(plain, "\n \n");
        assertEquals(plain + ": no words (only blank lines)", assertThrows(DatasetException.class, () -> PennTreebank.load(dir)).getMessage());
    }

    private static byte[] gzip(String text) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void missingFileListsTheExpectedNames(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ptb.train.txt"), "a\n");
        Files.writeString(dir.resolve("ptb.test.txt"), "a\n");
        assertEquals(dir + ": no ptb.valid.txt or ptb.valid.txt.gz for ptb (expected ptb.train.txt, ptb.valid.txt, ptb.test.txt)",
                assertThrows(DatasetException.class, () -> PennTreebank.load(dir)).getMessage());
    }
}
