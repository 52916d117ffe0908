package org.nasengine;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the read-only {@code shared/} folder (specs, reference architectures, data subsets) that
 * sits beside the repository root ({@code ../shared}), or inside it on machines that copy it
 * there, by walking up from the working directory: tests run from {@code java/}, tools from the
 * root.
 */
public final class SharedFiles {
    private static final Path ROOT = locate();

    private SharedFiles() {
    }

    /** {@code shared/<relative>}, e.g. {@code path("spec/arch/ref-cnn-a.json")}. */
    public static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    public static Path root() {
        return ROOT;
    }

    private static Path locate() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared");
            if (Files.isDirectory(candidate.resolve("spec"))) return candidate;
        }
        throw new IllegalStateException("no shared/spec folder in " + start + " or any folder above it");
    }
}
