package org.nasengine.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.NasNet;

/**
 * The reference architectures of shared/spec/arch, read where they lie (never copied): the folder
 * is found by walking up from the working directory to the first ancestor that has
 * {@code shared/spec/arch}, or named by the system property {@code nasengine.arch.dir}.
 */
public final class ReferenceArchitectures {
    public static final String DIR_PROPERTY = "nasengine.arch.dir";

    private ReferenceArchitectures() {}

    /** The folder holding ref-cnn-a.json and the others. */
    public static Path dir() {
        String given = System.getProperty(DIR_PROPERTY);
        if (given != null) return Path.of(given);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/spec/arch");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("no shared/spec/arch above " + Path.of("").toAbsolutePath()
                + " (run from the repository, or set -D" + DIR_PROPERTY + "=DIR)");
    }

    /** {@code name} without .json, e.g. "ref-cnn-a". */
    public static Path path(String name) {
        return dir().resolve(name + ".json");
    }

    public static Architecture read(String name) {
        try {
            return ArchitectureCodec.read(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path(name), e);
        }
    }

    /** ref-nasnet-a with its stacking overridden (the benchmarks use repeats 1, 16 filters). */
    public static NasNet nasnet(String name, int repeats, int filters) {
        NasNet n = (NasNet) read(name);
        return new NasNet(n.normal(), n.reduction(), repeats, filters);
    }
}
