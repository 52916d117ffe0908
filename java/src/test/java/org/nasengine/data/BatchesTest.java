package org.nasengine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class BatchesTest {

    /** 10 images of (2, 1, 3): image i holds the value i everywhere, label i % 4. */
    private static ImageSplit numbered(int n) {
        float[] images = new float[n * 6];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(images, i * 6, (i + 1) * 6, i);
            labels[i] = i % 4;
        }
        return new ImageSplit(images, labels, 2, 1, 3, 4);
    }

    /** The image ids of one epoch, checking that each batch's images and labels agree. */
    private static List<Integer> epoch(Batches batches, List<Integer> sizes) {
        List<Integer> ids = new ArrayList<>();
        Batches.Batch first = null;
        while (batches.hasNext()) {
            Batches.Batch b = batches.next();
            if (first == null) first = b;
            assertSame(first, b, "the batch object is reused");
            sizes.add(b.size());
            for (int i = 0; i < b.size(); i++) {
                int id = (int) b.images()[i * 6];
                for (int k = 0; k < 6; k++) assertEquals(id, b.images()[i * 6 + k], "image " + i + " element " + k);
                assertEquals(id % 4, b.labels()[i], "label of image " + id);
                ids.add(id);
            }
        }
        return ids;
    }

    @Test
    void everyImageOncePerEpochInShuffledBatches() {
        Batches batches = new Batches(numbered(10), 4, 3);
        assertEquals(3, batches.batchesPerEpoch());
        List<Integer> sizes = new ArrayList<>();
        List<Integer> first = epoch(batches, sizes);
        assertEquals(List.of(4, 4, 2), sizes);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), first.stream().sorted().toList());
        assertFalse(first.equals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)), "not shuffled: " + first);
        assertThrows(NoSuchElementException.class, batches::next);

        batches.nextEpoch();
        List<Integer> second = epoch(batches, new ArrayList<>());
        assertEquals(first.stream().sorted().toList(), second.stream().sorted().toList());
        assertFalse(first.equals(second), "the second epoch repeats the first order " + first);

        Batches same = new Batches(numbered(10), 4, 3);
        assertEquals(first, epoch(same, new ArrayList<>()), "same seed, same order");
    }

    @Test
    void inOrderAndDropLast() {
        List<Integer> sizes = new ArrayList<>();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), epoch(Batches.inOrder(numbered(10), 3), sizes));
        assertEquals(List.of(3, 3, 3, 1), sizes);
        sizes.clear();
        Batches dropping = Batches.inOrder(numbered(10), 3).dropLast();
        assertEquals(3, dropping.batchesPerEpoch());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8), epoch(dropping, sizes));
        assertEquals(List.of(3, 3, 3), sizes);
    }

    @Test
    void augmentationSeesEachFilledBatch() {
        List<Integer> counts = new ArrayList<>();
        Batches batches = Batches.inOrder(numbered(5), 2).augment((images, count, c, h, w) -> {
            counts.add(count);
            assertArrayEquals(new int[] {2, 1, 3}, new int[] {c, h, w});
            for (int i = 0; i < count * c * h * w; i++) images[i] += 100;
        });
        Batches.Batch b = batches.next();
        assertEquals(100f, b.images()[0]);
        assertEquals(101f, b.images()[6]);
        batches.next();
        batches.next();
        assertEquals(List.of(2, 2, 1), counts);
    }

    @Test
    void rejectsABadBatchSize() {
        assertEquals("batchSize (0) must be > 0",
                assertThrows(IllegalArgumentException.class, () -> new Batches(numbered(3), 0, 1)).getMessage());
    }
}
