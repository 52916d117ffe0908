package org.nasengine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    private static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isRegularFile(FashionMnist.DEFAULT_DIR.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed in " + FashionMnist.DEFAULT_DIR + " (apt-get install dataset-fashion-mnist)");
    }

    @Test
    void readsTheInstalledFiles() throws IOException {
        assumeInstalled();
        RawImages train = FashionMnist.readTrain(FashionMnist.DEFAULT_DIR);
        RawImages test = FashionMnist.readTest(FashionMnist.DEFAULT_DIR);
        assertEquals(60_000, train.count());
        assertEquals(10_000, test.count());
        assertEquals(1, train.channels());
        assertEquals(28, train.height());
        assertEquals(28, train.width());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(train.labels(), 10));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(test.labels(), 10));
        int[] sixThousand = new int[10];
        Arrays.fill(sixThousand, 6_000);
        assertArrayEquals(sixThousand, train.classCounts());
        // image 0, row 10 (an ankle boot): zeros, then the shoe
        byte[] px = train.pixels();
        assertEquals(0, px[28 * 10 + 12] & 0xff);
        assertEquals(193, px[28 * 10 + 13] & 0xff);
        assertEquals(243, px[28 * 10 + 25] & 0xff);
        ChannelStats stats = ChannelStats.of(train);
        assertEquals(0.2860, stats.mean()[0], 1e-4);
        assertEquals(0.3530, stats.std()[0], 1e-4);
    }

    @Test
    void loadsSplitsWithTheDefaultHoldOut() throws IOException {
        assumeInstalled();
        ImageDataset d = FashionMnist.load(HoldOut.DEFAULT);
        assertEquals(55_000, d.train().count());
        assertEquals(5_000, d.validation().count());
        assertEquals(10_000, d.test().count());
        assertEquals(10, d.classes());
        double sum = 0, sumSq = 0;
        for (float v : d.train().images()) {
            sum += v;
            sumSq += (double) v * v;
        }
        double n = d.train().images().length;
        assertEquals(0, sum / n, 1e-4, "normalised training mean");
        assertEquals(1, Math.sqrt(sumSq / n - (sum / n) * (sum / n)), 1e-4, "normalised training deviation");
    }

    // ---------------------------------------------------------------- broken files

    /** A gzip IDX file: magic, dims, then {@code data}. */
    static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
        for (int d : dims) header.putInt(d);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(header.array());
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    /** A valid little Fashion-MNIST of n training and n test images, labels 0..n-1. */
    private static void writeValid(Path dir, int n) throws IOException {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) labels[i] = (byte) i;
        for (String prefix : new String[] {"train", "t10k"}) {
            Files.write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), idx(0x803, new int[] {n, 28, 28}, new byte[n * 784]));
            Files.write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), idx(0x801, new int[] {n}, labels));
        }
    }

    private static String failure(Path dir) {
        return assertThrows(DatasetException.class, () -> FashionMnist.readTrain(dir)).getMessage();
    }

    @Test
    void readsAValidLittleCopy(@TempDir Path dir) throws IOException {
        writeValid(dir, 3);
        ImageDataset d = FashionMnist.load(dir, HoldOut.ofCount(1, 7));
        assertEquals(2, d.train().count());
        assertEquals(1, d.validation().count());
        assertEquals(3, d.test().count());
        assertArrayEquals(new int[] {0, 1, 2}, d.test().labels());
    }

    @Test
    void wrongMagic(@TempDir Path dir) throws IOException {
        writeValid(dir, 2);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        Files.write(images, idx(0x801, new int[] {2, 28, 28}, new byte[2 * 784]));
        assertEquals(images + ": wrong magic 0x00000801, expected 0x00000803 (unsigned bytes, 3 dimensions)", failure(dir));
    }

    @Test
    void shortRead(@TempDir Path dir) throws IOException {
        writeValid(dir, 2);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        Files.write(images, idx(0x803, new int[] {2, 28, 28}, new byte[784 + 100]));
        assertEquals(images + ": short read: header [2, 28, 28] needs 1568 data bytes, found 884", failure(dir));
        Files.write(images, Arrays.copyOf(idx(0x803, new int[0], new byte[0]), 10));
        assertTrue(failure(dir).startsWith(images + ": truncated gzip data: "), failure(dir));
    }

    @Test
    void trailingBytesAndWrongSize(@TempDir Path dir) throws IOException {
        writeValid(dir, 2);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        Files.write(images, idx(0x803, new int[] {2, 28, 28}, new byte[2 * 784 + 5]));
        assertEquals(images + ": 5 bytes after the 1568 data bytes that header [2, 28, 28] announces", failure(dir));
        Files.write(images, idx(0x803, new int[] {2, 32, 32}, new byte[2 * 1024]));
        assertEquals(images + ": images are 32x32, expected 28x28", failure(dir));
    }

    @Test
    void notGzip(@TempDir Path dir) throws IOException {
        writeValid(dir, 2);
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        Files.write(labels, new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 1, 1});
        assertEquals(labels + ": not valid gzip data: Not in GZIP format", failure(dir));
    }

    @Test
    void labelOutOfRangeAndCountMismatch(@TempDir Path dir) throws IOException {
        writeValid(dir, 2);
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        Files.write(labels, idx(0x801, new int[] {2}, new byte[] {3, 10}));
        assertEquals(labels + ": label 1 is 10, out of range 0..9", failure(dir));
        Files.write(labels, idx(0x801, new int[] {3}, new byte[] {3, 1, 2}));
        assertEquals(labels + ": 3 labels for the 2 images of train-images-idx3-ubyte.gz", failure(dir));
    }

    @Test
    void missingFileListsTheExpectedNames(@TempDir Path dir) throws IOException {
        writeValid(dir, 2);
        Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));
        assertEquals(dir + ": no train-labels-idx1-ubyte or train-labels-idx1-ubyte.gz for fashion-mnist (expected "
                + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)",
                failure(dir));
    }

    @Test
    void readsUncompressedFilesToo(@TempDir Path dir) throws IOException {
        writeValid(dir, 2);
        Path gz = dir.resolve("train-labels-idx1-ubyte.gz");
        byte[] plain = new java.util.zip.GZIPInputStream(Files.newInputStream(gz)).readAllBytes();
        Files.delete(gz);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), plain);
        assertArrayEquals(new int[] {0, 1}, FashionMnist.readTrain(dir).labels());
    }
}
