package org.nasengine.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;
import org.nasengine.data.ChannelStats;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.ArchitectureException;
import org.nasengine.nn.Module;
import org.nasengine.tensor.DType;
import org.nasengine.tensor.Tensor;

/**
 * A trained network as a safetensors file: every parameter and state tensor of the module tree
 * under its {@link Module#namedTensors() dotted name}, plus, for image networks, the input
 * normalization it was trained with as {@code normalize.mean} and {@code normalize.std} (C), and
 * metadata: {@code format}, {@code arch} (the architecture's JSON), and for images {@code input}
 * ("C,H,W"), {@code classes} and {@code dataset}; for language models {@code vocab} and
 * {@code hidden}. docs/weights.md lists the names.
 */
public final class NetworkWeights {
    public static final String FORMAT = "nas-engine-weights/1";
    public static final String NORM_MEAN = "normalize.mean", NORM_STD = "normalize.std";

    /** What a file holds beside the module's tensors. */
    public record Saved(Map<String, String> metadata, ChannelStats normalization) {
        /** (C, H, W) of the images the network reads, from the {@code input} metadata. */
        public int[] inputShape(Path file) {
            String s = metadata.get("input");
            if (s == null) throw new WeightsException(file + ": no 'input' metadata (C,H,W): not saved for an image network");
            try {
                int[] chw = Arrays.stream(s.split(",")).mapToInt(p -> Integer.parseInt(p.trim())).toArray();
                if (chw.length != 3 || Arrays.stream(chw).anyMatch(d -> d <= 0)) throw new NumberFormatException(s);
                return chw;
            } catch (NumberFormatException e) {
                throw new WeightsException(file + ": 'input' metadata '" + s + "' is not C,H,W");
            }
        }

        public int intValue(Path file, String key) {
            String s = metadata.get(key);
            try {
                return Integer.parseInt(s == null ? "" : s.trim());
            } catch (NumberFormatException e) {
                throw new WeightsException(file + ": '" + key + "' metadata " + (s == null ? "is missing" : "'" + s + "' is not a number"));
            }
        }
    }

    private NetworkWeights() {}

    /** The metadata every file carries, for {@code arch}. */
    public static Map<String, String> metadata(Architecture arch) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("arch", ArchitectureCodec.toCompactJson(arch));
        return m;
    }

    /** The metadata of an image network reading (C, H, W) images into {@code classes} classes. */
    public static Map<String, String> imageMetadata(Architecture arch, int channels, int height, int width, int classes, String dataset) {
        Map<String, String> m = metadata(arch);
        m.put("input", channels + "," + height + "," + width);
        m.put("classes", String.valueOf(classes));
        m.put("dataset", dataset);
        return m;
    }

    /** Writes the module's tensors (and the normalization, when given) with the metadata. */
    public static void save(Path file, Module net, ChannelStats normalization, Map<String, String> metadata) throws IOException {
        SequencedMap<String, Safetensors.Entry> out = new LinkedHashMap<>();
        if (normalization != null) {
            int c = normalization.channels();
            out.put(NORM_MEAN, Safetensors.f32(normalization.mean().clone(), c));
            out.put(NORM_STD, Safetensors.f32(normalization.std().clone(), c));
        }
        for (Map.Entry<String, Tensor> t : net.namedTensors().entrySet())
            out.put(t.getKey(), Safetensors.f32(t.getValue().toArray(), t.getValue().shape()));
        Safetensors.write(file, out, metadata);
    }

    /**
     * Reads {@code file} into the module after checking it whole: the architecture it was saved for
     * (when it says) is {@code arch}, every tensor of the module is there with dtype F32 and the same
     * shape, and the file has no tensor the module lacks. Nothing is written into the module unless
     * every check passes.
     */
    public static Saved load(Path file, Module net, Architecture arch) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        String saved = c.metadata().get("arch");
        if (saved != null && arch != null) {
            Architecture other;
            try {
                other = ArchitectureCodec.parse(saved);
            } catch (ArchitectureException e) {
                throw new WeightsException(file + ": its 'arch' metadata is not a valid architecture: " + e.getMessage());
            }
            if (!other.equals(arch))
                throw new WeightsException(file + ": saved for another architecture (" + saved + ")");
        }
        Map<String, Tensor> mine = net.namedTensors();
        for (Map.Entry<String, Tensor> t : mine.entrySet()) {
            Safetensors.Entry e = c.tensors().get(t.getKey());
            int[] want = t.getValue().shape();
            if (e == null)
                throw new WeightsException(file + ": tensor " + t.getKey() + " is missing (the architecture needs F32 "
                        + Arrays.toString(want) + ")");
            check(file, t.getKey(), e, want);
            if (t.getValue().dtype() != DType.FLOAT32)
                throw new IllegalStateException(t.getKey() + " is " + t.getValue().dtype() + ", only float tensors are loaded");
        }
        ChannelStats norm = null;
        Safetensors.Entry mean = c.tensors().get(NORM_MEAN), std = c.tensors().get(NORM_STD);
        if ((mean == null) != (std == null))
            throw new WeightsException(file + ": tensor " + (mean == null ? NORM_MEAN : NORM_STD) + " is missing (the other one is there)");
        if (mean != null) {
            check(file, NORM_MEAN, mean, new int[] {Math.toIntExact(mean.elements())});
            check(file, NORM_STD, std, mean.shape());
            norm = new ChannelStats(mean.values(), std.values());
        }
        for (String name : c.tensors().keySet()) {
            if (!mine.containsKey(name) && !name.equals(NORM_MEAN) && !name.equals(NORM_STD))
                throw new WeightsException(file + ": tensor " + name + " is not in this architecture");
        }
        for (Map.Entry<String, Tensor> t : mine.entrySet()) t.getValue().set(c.tensors().get(t.getKey()).values());
        return new Saved(c.metadata(), norm);
    }

    /** Reads only the metadata and normalization (checked), for a command that builds the network from them. */
    public static Saved peek(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Safetensors.Entry mean = c.tensors().get(NORM_MEAN), std = c.tensors().get(NORM_STD);
        ChannelStats norm = null;
        if (mean != null && std != null) {
            check(file, NORM_MEAN, mean, new int[] {Math.toIntExact(mean.elements())});
            check(file, NORM_STD, std, mean.shape());
            norm = new ChannelStats(mean.values(), std.values());
        }
        return new Saved(c.metadata(), norm);
    }

    private static void check(Path file, String name, Safetensors.Entry e, int[] want) {
        if (!e.dtype().equals("F32"))
            throw new WeightsException(file + ": tensor " + name + " has dtype " + e.dtype() + ", expected F32");
        if (!Arrays.equals(e.shape(), want))
            throw new WeightsException(file + ": tensor " + name + " has shape " + Arrays.toString(e.shape())
                    + ", the architecture needs " + Arrays.toString(want));
    }
}
