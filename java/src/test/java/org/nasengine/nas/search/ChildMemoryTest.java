package org.nasengine.nas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.Backend;
import org.nasengine.backend.DeviceOutOfMemoryException;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.data.HoldOut;
import org.nasengine.data.ImageDataset;
import org.nasengine.data.Synthetic;
import org.nasengine.nas.child.ImageTrainer;
import org.nasengine.nas.child.TrainConfig;
import org.nasengine.nas.space.MacroCnn;

/**
 * Device memory between children: a child the device cannot hold is recorded as out_of_memory
 * and the next one trains; the cache goes back to the device before a child of other shapes.
 */
class ChildMemoryTest {
    /** Buffers above this many elements do not fit: a 64-filter layer at batch 8 on 8x8 images needs 32,768. */
    private static final long DEVICE_ELEMENTS = 10_000;

    /** The reference backend behaving like a small GPU: large buffers refused, releaseCached calls counted. */
    private static Backend smallDevice(JavaBackend inner, AtomicInteger trims) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("allocate") && (long) args[0] > DEVICE_ELEMENTS)
                        throw new DeviceOutOfMemoryException("small device: allocate " + args[0] + " elements");
                    if (method.getName().equals("releaseCached")) {
                        trims.incrementAndGet();
                        return null;
                    }
                    try {
                        return method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static MacroCnn oneLayer(int filters) {
        return new MacroCnn(List.of(new MacroCnn.Layer(3, 3, filters, 1)));
    }

    @Test
    void aChildTooLargeForTheDeviceIsOutOfMemoryAndTheSearchGoesOn() {
        ImageDataset ds = new Synthetic(1, 8, 3, 1).dataset(64, 16, HoldOut.ofCount(16, 1));
        TrainConfig cfg = new TrainConfig(1, 8, 0.05f, "sgd", 0.9f, 1e-4f, true, "cosine", 2, 1, false, false, 0);
        AtomicInteger trims = new AtomicInteger();
        try (JavaBackend inner = new JavaBackend()) {
            ImageChildEvaluator eval = new ImageChildEvaluator(smallDevice(inner, trims), ds.train(), ds.validation(), cfg, 0,
                    () -> new ImageTrainer.Listener() {});
            MacroCnn large = oneLayer(64), small = oneLayer(4);

            ChildResult tooLarge = eval.evaluate(0, large, 1);
            assertEquals("out_of_memory", tooLarge.status(), String.valueOf(tooLarge.error()));
            assertTrue(tooLarge.error().contains("small device"), tooLarge.error());
            assertEquals(0, trims.get(), "nothing cached before the first child");

            ChildResult fits = eval.evaluate(1, small, 2);
            assertEquals("ok", fits.status(), String.valueOf(fits.error()));
            assertEquals(1, trims.get(), "other shapes than the last child: the cache goes back");

            eval.evaluate(2, small, 3);
            assertEquals(1, trims.get(), "the same child again reuses the cache");

            assertEquals("out_of_memory", eval.evaluate(3, large, 4).status());
            assertEquals(2, trims.get());
        }
    }
}
