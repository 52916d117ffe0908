package org.nasengine.data;

/** A change applied in place to a batch of images on the host, before it goes to the device. */
@FunctionalInterface
public interface Augmentation {

    /**
     * @param images (count, channels, height, width); only the first {@code count} images are touched
     */
    void apply(float[] images, int count, int channels, int height, int width);
}
