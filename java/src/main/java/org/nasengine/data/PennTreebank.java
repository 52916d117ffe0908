package org.nasengine.data;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Penn Treebank of Mikolov's language-model experiments: {@code ptb.{train,valid,test}.txt}
 * (or {@code .txt.gz}), one sentence a line. Words are split on whitespace and {@code <eos>} ends
 * every line; the vocabulary (10,000 words with {@code <eos>}) comes from the training text, most
 * frequent first, ties alphabetical. Every word of the other splits must be in it, as it is in
 * Mikolov's files (rare words are already {@code <unk>} there): a word that is not means the
 * splits come from different corpora or one of them is cut short, and is an error naming the file,
 * the line and the word. So is a file that is not UTF-8 text, holds binary data or has no words.
 */
public final class PennTreebank {
    public static final String NAME = "ptb";
    public static final String EOS = "<eos>";
    public static final String UNK = "<unk>";
    private static final List<String> FILES = List.of("ptb.train.txt", "ptb.valid.txt", "ptb.test.txt");

    private PennTreebank() {
    }

    public static TokenDataset load(Path dir) throws IOException {
        Path trainFile = DataFiles.find(dir, "ptb.train.txt", NAME, FILES);
        Path validFile = DataFiles.find(dir, "ptb.valid.txt", NAME, FILES);
        Path testFile = DataFiles.find(dir, "ptb.test.txt", NAME, FILES);
        List<String> train = words(trainFile);
        Vocabulary vocabulary = vocabulary(train);
        return new TokenDataset(NAME, vocabulary, ids(train, vocabulary, trainFile, trainFile),
                ids(words(validFile), vocabulary, validFile, trainFile), ids(words(testFile), vocabulary, testFile, trainFile),
                List.of(trainFile.toString(), validFile.toString(), testFile.toString()));
    }

    /** Every word of the file, {@code <eos>} after each line. */
    static List<String> words(Path file) throws IOException {
        String text = text(file);
        List<String> out = new ArrayList<>(text.length() / 5);
        for (String line : text.split("\n", -1)) {
            for (String w : line.strip().split("\\s+")) if (!w.isEmpty()) out.add(w);
            out.add(EOS);
        }
        // the file's final newline ends the last line; it does not start another one
        if (text.endsWith("\n") || text.isEmpty()) out.removeLast();
        if (out.stream().allMatch(EOS::equals)) throw new DatasetException(file, "no words (" + (text.isEmpty() ? "the file is empty" : "only blank lines") + ")");
        return out;
    }

    /** The file as UTF-8 text; malformed bytes or a NUL (a binary or damaged file) are an error with their offset. */
    private static String text(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(DataFiles.readAll(file));
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(in.remaining());
        CoderResult r = utf8.decode(in, out, true);
        if (r.isError())
            throw new DatasetException(file, String.format("not UTF-8 text: byte 0x%02x at offset %,d (a binary or damaged file?)",
                    in.get(in.position()) & 0xff, in.position()));
        utf8.flush(out);
        String text = out.flip().toString();
        int nul = text.indexOf('\0');
        if (nul >= 0) throw new DatasetException(file, String.format("binary data: a NUL byte near offset %,d, not text", nul));
        return text;
    }

    static Vocabulary vocabulary(List<String> words) {
        Map<String, Integer> counts = new HashMap<>();
        for (String w : words) counts.merge(w, 1, Integer::sum);
        List<String> sorted = new ArrayList<>(counts.keySet());
        sorted.sort((a, b) -> {
            int byCount = Integer.compare(counts.get(b), counts.get(a));
            return byCount != 0 ? byCount : a.compareTo(b);
        });
        return new Vocabulary(sorted);
    }

    /** Word ids; a word outside the vocabulary (built from {@code vocabularyFile}) is an error naming where it is. */
    private static int[] ids(List<String> words, Vocabulary vocabulary, Path file, Path vocabularyFile) throws DatasetException {
        IntArrayList out = new IntArrayList(words.size());
        int line = 1, missing = 0, firstLine = 0;
        String first = null;
        for (String w : words) {
            int id = vocabulary.id(w);
            if (id < 0) {
                if (missing++ == 0) {
                    first = w;
                    firstLine = line;
                }
            } else {
                out.add(id);
            }
            if (w.equals(EOS)) line++;
        }
        if (missing > 0)
            throw new DatasetException(file, String.format("vocabulary mismatch: line %,d has the word \"%s\", which %s "
                            + "(%,d words) does not have; %,d tokens of this file are missing from it. The splits must come from one "
                            + "corpus: is a file cut short or from another corpus?", firstLine, first, vocabularyFile.getFileName(),
                    vocabulary.size(), missing));
        return out.toIntArray();
    }
}
