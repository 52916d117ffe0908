package org.nasengine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nasengine.SharedFiles;

/** The shared subset's figures come from shared/data/cifar10/README.md. */
class Cifar10Test {
    private static final Path SUBSET = SharedFiles.path("data/cifar10");

    @Test
    void readsTheSharedSubset() throws IOException {
        RawImages train = Cifar10.readTrain(SUBSET);
        RawImages test = Cifar10.readTest(SUBSET);
        assertEquals(4_000, train.count());
        assertEquals(1_000, test.count());
        assertArrayEquals(new int[] {6, 9, 9, 4, 1, 1, 2, 7, 8, 3}, Arrays.copyOf(train.labels(), 10));
        assertArrayEquals(new int[] {3, 8, 8, 0, 6, 6, 1, 6, 3, 1}, Arrays.copyOf(test.labels(), 10));
        assertArrayEquals(new int[] {396, 366, 420, 384, 422, 393, 414, 385, 407, 413}, train.classCounts());
        assertArrayEquals(new int[] {103, 89, 100, 103, 90, 86, 112, 102, 106, 109}, test.classCounts());
        int[] redRow0 = new int[8];
        for (int x = 0; x < 8; x++) redRow0[x] = train.pixels()[x] & 0xff;
        assertArrayEquals(new int[] {59, 43, 50, 68, 98, 119, 139, 145}, redRow0);
        ChannelStats stats = ChannelStats.of(train);
        float[] mean = {0.4916f, 0.4818f, 0.4447f}, std = {0.247f, 0.244f, 0.263f};
        for (int c = 0; c < 3; c++) {
            assertEquals(mean[c], stats.mean()[c], 1e-4, "mean of channel " + c);
            assertEquals(std[c], stats.std()[c], 1e-3, "std of channel " + c);
        }
    }

    @Test
    void loadHoldsOutTenPercent() throws IOException {
        ImageDataset d = Cifar10.load(SUBSET, HoldOut.DEFAULT);
        assertEquals(3_600, d.train().count());
        assertEquals(400, d.validation().count());
        assertEquals(1_000, d.test().count());
        assertEquals(3, d.channels());
        assertEquals(32 * 32 * 3, d.train().imageLength());
    }

    /** n records with the given labels and pixel bytes equal to (record index + 1). */
    private static byte[] records(int... labels) {
        byte[] out = new byte[labels.length * Cifar10.RECORD];
        for (int r = 0; r < labels.length; r++) {
            out[r * Cifar10.RECORD] = (byte) labels[r];
            Arrays.fill(out, r * Cifar10.RECORD + 1, (r + 1) * Cifar10.RECORD, (byte) (r + 1));
        }
        return out;
    }

    @Test
    void readsPresentBatchesInOrderAndPrefersFullOverSubset(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("data_batch_2.bin"), records(5, 6));
        Files.write(dir.resolve("data_batch_1_first1.bin"), records(9));
        Files.write(dir.resolve("test_batch_first2.bin"), records(1, 2));
        assertArrayEquals(new int[] {9, 5, 6}, Cifar10.readTrain(dir).labels());
        Files.write(dir.resolve("data_batch_1.bin"), records(0, 1, 2));
        RawImages train = Cifar10.readTrain(dir);
        assertArrayEquals(new int[] {0, 1, 2, 5, 6}, train.labels());
        assertEquals(3, train.pixels()[3 * 3072 - 1]); // third record of batch 1
        assertEquals(1, train.pixels()[3 * 3072]);     // first record of batch 2
        assertArrayEquals(new int[] {1, 2}, Cifar10.readTest(dir).labels());
    }

    @Test
    void readsThroughTheStandardSubfolder(@TempDir Path dir) throws IOException {
        Path inner = Files.createDirectory(dir.resolve("cifar-10-batches-bin"));
        Files.write(inner.resolve("test_batch.bin"), records(4));
        assertArrayEquals(new int[] {4}, Cifar10.readTest(dir).labels());
    }

    @Test
    void recordSizeNotAMultiple(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("data_batch_1.bin");
        Files.write(file, Arrays.copyOf(records(1, 2), 2 * Cifar10.RECORD - 73));
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.readTrain(dir));
        assertEquals(file + ": size 6073 bytes is not a multiple of the 3073-byte record (1 records and 3000 bytes left over)",
                e.getMessage());
        assertEquals(file, e.file());
        Files.write(file, new byte[0]);
        assertEquals(file + ": empty file, expected 3073-byte records",
                assertThrows(DatasetException.class, () -> Cifar10.readTrain(dir)).getMessage());
    }

    @Test
    void labelOutOfRange(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("test_batch.bin");
        Files.write(file, records(1, 2, 10));
        assertEquals(file + ": record 2 has label 10, out of range 0..9",
                assertThrows(DatasetException.class, () -> Cifar10.readTest(dir)).getMessage());
    }

    @Test
    void missingFilesListTheExpectedNames(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("test_batch.bin"), records(1));
        assertEquals(dir + ": no CIFAR-10 training batch (expected data_batch_1.bin .. data_batch_5.bin and test_batch.bin, "
                        + "or subsets such as data_batch_1_first4000.bin and test_batch_first1000.bin)",
                assertThrows(DatasetException.class, () -> Cifar10.readTrain(dir)).getMessage());
        Path nowhere = dir.resolve("nowhere");
        assertEquals(nowhere + ": not a folder (expected data_batch_1.bin .. data_batch_5.bin and test_batch.bin, "
                        + "or subsets such as data_batch_1_first4000.bin and test_batch_first1000.bin in it)",
                assertThrows(DatasetException.class, () -> Cifar10.readTest(nowhere)).getMessage());
    }
}
