package org.nasengine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CIFAR-10 in the standard binary format: 3073-byte records (a label byte 0..9, then 1024 R,
 * 1024 G, 1024 B bytes of a 32x32 image, row-major), no header. Reads whichever of
 * {@code data_batch_1..5.bin} and {@code test_batch.bin} are present, or prefix subsets named
 * {@code data_batch_1_first4000.bin} / {@code test_batch_first1000.bin} (as in shared/data/cifar10);
 * a full batch wins over a subset of itself. A folder holding {@code cifar-10-batches-bin/} is
 * read through it.
 */
public final class Cifar10 {
    public static final String NAME = "cifar10";
    public static final int CHANNELS = 3;
    public static final int SIZE = 32;
    public static final int CLASSES = 10;
    public static final int RECORD = 1 + CHANNELS * SIZE * SIZE; // 3073
    private static final String EXPECTED = "data_batch_1.bin .. data_batch_5.bin and test_batch.bin, "
            + "or subsets such as data_batch_1_first4000.bin and test_batch_first1000.bin";

    private Cifar10() {
    }

    public static ImageDataset load(Path dir, HoldOut holdOut) throws IOException {
        return ImageDataset.of(NAME, readTrain(dir), readTest(dir), holdOut);
    }

    /** Every training batch present, in batch order. */
    public static RawImages readTrain(Path dir) throws IOException {
        Path d = resolve(dir);
        List<Path> files = new ArrayList<>();
        for (int b = 1; b <= 5; b++) {
            Path file = pick(d, "data_batch_" + b);
            if (file != null) files.add(file);
        }
        if (files.isEmpty()) throw new DatasetException(d, "no CIFAR-10 training batch (expected " + EXPECTED + ")");
        return read(files);
    }

    public static RawImages readTest(Path dir) throws IOException {
        Path d = resolve(dir);
        Path file = pick(d, "test_batch");
        if (file == null) throw new DatasetException(d, "no CIFAR-10 test batch (expected " + EXPECTED + ")");
        return read(List.of(file));
    }

    /** Reads and concatenates whole files of records. */
    public static RawImages read(List<Path> files) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        long total = 0;
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0) throw new DatasetException(file, "empty file, expected " + RECORD + "-byte records");
            if (bytes.length % RECORD != 0)
                throw new DatasetException(file, "size " + bytes.length + " bytes is not a multiple of the " + RECORD
                        + "-byte record (" + bytes.length / RECORD + " records and " + bytes.length % RECORD + " bytes left over)");
            for (int r = 0; r < bytes.length / RECORD; r++) {
                int label = bytes[r * RECORD] & 0xff;
                if (label >= CLASSES)
                    throw new DatasetException(file, "record " + r + " has label " + label + ", out of range 0.." + (CLASSES - 1));
            }
            contents.add(bytes);
            total += bytes.length / RECORD;
        }
        int count = Math.toIntExact(total), len = RECORD - 1;
        byte[] pixels = new byte[count * len]; // (N, 3, 32, 32)
        int[] labels = new int[count];         // (N)
        int n = 0;
        for (byte[] bytes : contents) {
            for (int r = 0; r < bytes.length / RECORD; r++, n++) {
                labels[n] = bytes[r * RECORD] & 0xff;
                System.arraycopy(bytes, r * RECORD + 1, pixels, n * len, len);
            }
        }
        return new RawImages(pixels, labels, CHANNELS, SIZE, SIZE, CLASSES);
    }

    private static Path resolve(Path dir) throws DatasetException {
        if (!Files.isDirectory(dir)) throw new DatasetException(dir, "not a folder (expected " + EXPECTED + " in it)");
        Path inner = dir.resolve("cifar-10-batches-bin");
        return Files.isDirectory(inner) ? inner : dir;
    }

    /** {@code stem.bin} if present, else the largest {@code stem_firstN.bin}, else null. */
    private static Path pick(Path dir, String stem) throws IOException {
        Path full = dir.resolve(stem + ".bin");
        if (Files.isRegularFile(full)) return full;
        Pattern subset = Pattern.compile(Pattern.quote(stem) + "_first(\\d{1,9})\\.bin");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> subset.matcher(p.getFileName().toString()).matches())
                    .max((a, b) -> Long.compare(firstCount(subset, a), firstCount(subset, b)))
                    .orElse(null);
        }
    }

    private static long firstCount(Pattern subset, Path file) {
        var m = subset.matcher(file.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }
}
