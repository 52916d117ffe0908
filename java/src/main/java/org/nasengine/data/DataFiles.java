package org.nasengine.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** File lookup and whole-file reads shared by the loaders; gzip is undone transparently. */
final class DataFiles {
    private DataFiles() {
    }

    /**
     * The first of {@code name.gz} and {@code name} present in {@code dir}; otherwise an error
     * listing every name the dataset expects there.
     */
    static Path find(Path dir, String name, String dataset, List<String> expected) throws DatasetException {
        for (String candidate : List.of(name + ".gz", name)) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) return file;
        }
        throw new DatasetException(dir, "no " + name + " or " + name + ".gz for " + dataset
                + " (expected " + String.join(", ", expected) + ")");
    }

    /** The file's bytes, decompressed when its name ends in .gz. */
    static byte[] readAll(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(".gz")) return Files.readAllBytes(file);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            return in.readAllBytes();
        } catch (ZipException e) {
            throw new DatasetException(file, "not valid gzip data: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new DatasetException(file, "truncated gzip data: " + e.getMessage(), e);
        }
    }

    /** Big-endian 32-bit integer at {@code offset}. */
    static int int32(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16
                | (bytes[offset + 2] & 0xff) << 8 | (bytes[offset + 3] & 0xff);
    }
}
