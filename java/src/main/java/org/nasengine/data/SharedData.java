package org.nasengine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The project's bundled data ({@code shared/data/...}: the CIFAR-10 subset, Penn Treebank), found
 * by walking up from the working directory, inside or beside each folder on the way, so that the
 * commands find it from the repository root, from {@code java/} and from a checkout next to it.
 */
public final class SharedData {
    private SharedData() {}

    /** {@code shared/data/<name>} when such a folder is found, e.g. {@code find("ptb")}. */
    public static Optional<Path> find(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            for (Path c : new Path[] {p.resolve("shared/data").resolve(name), p.resolveSibling("shared/data").resolve(name)})
                if (Files.isDirectory(c)) return Optional.of(c);
        }
        return Optional.empty();
    }
}
