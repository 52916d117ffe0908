package org.nasengine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.nasengine.data.ChannelStats;
import org.nasengine.data.ImageDataset;
import org.nasengine.export.NetworkWeights;
import org.nasengine.export.WeightsException;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nn.Module;

/** The commands' side of weights files: paths checked up front, every problem a one-line user error. */
final class SavedWeights {
    private SavedWeights() {}

    /** Refuses, before any training, an output path whose folder is missing or not writable, or that is a folder. */
    static void checkWritable(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) throw new UserError("cannot write " + file + ": it is a directory");
        if (dir == null || !Files.isDirectory(dir)) throw new UserError("cannot write " + file + ": directory " + dir + " does not exist");
        if (!Files.isWritable(dir)) throw new UserError("cannot write " + file + ": directory " + dir + " is not writable");
        if (Files.exists(file) && !Files.isWritable(file)) throw new UserError("cannot write " + file + ": the file is not writable");
    }

    /** The input normalization a saved image network was trained with, or null when the file has none. */
    static ChannelStats normalization(Path file) {
        return peek(file).normalization();
    }

    /** The metadata and normalization of a weights file (checked as a safetensors file). */
    static NetworkWeights.Saved peek(Path file) {
        return call(file, () -> NetworkWeights.peek(file));
    }

    static Map<String, String> metadata(Path file) {
        return peek(file).metadata();
    }

    /** Loads a saved image network, checking that it was saved for images like the data set's. */
    static void loadImage(Path file, Module net, Architecture arch, ImageDataset ds) {
        NetworkWeights.Saved saved = call(file, () -> NetworkWeights.load(file, net, arch));
        if (saved.metadata().containsKey("input")) {
            int[] chw = saved.inputShape(file), have = {ds.channels(), ds.height(), ds.width()};
            if (!Arrays.equals(chw, have))
                throw new UserError(file + ": saved for images of " + Arrays.toString(chw) + " (C, H, W), the data set has "
                        + Arrays.toString(have));
        }
    }

    static void saveImage(Path file, Module net, Architecture arch, ImageDataset ds) {
        Map<String, String> meta = NetworkWeights.imageMetadata(arch, ds.channels(), ds.height(), ds.width(), ds.classes(), ds.name());
        save(file, net, ds.stats(), meta);
    }

    /** Loads a saved language model (its vocabulary and hidden size are in its tensors' shapes). */
    static void loadModel(Path file, Module net, Architecture arch) {
        call(file, () -> NetworkWeights.load(file, net, arch));
    }

    static void saveModel(Path file, Module net, Architecture arch, int vocab, int hidden) {
        Map<String, String> meta = NetworkWeights.metadata(arch);
        meta.put("vocab", String.valueOf(vocab));
        meta.put("hidden", String.valueOf(hidden));
        save(file, net, null, meta);
    }

    private static void save(Path file, Module net, ChannelStats stats, Map<String, String> meta) {
        try {
            NetworkWeights.save(file, net, stats, meta);
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private interface Io<T> {
        T run() throws IOException;
    }

    private static <T> T call(Path file, Io<T> io) {
        try {
            return io.run();
        } catch (WeightsException e) {
            throw new UserError(e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file", e);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
