package org.nasengine.nas.search;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Write-fsync-rename, so a reader (or a resumed search) sees the old file or the new one, never half. */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp); // a full disk: the target is untouched, and no half file is left beside it
            } catch (IOException d) {
                e.addSuppressed(d);
            }
            throw e;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // make the rename itself durable
        } catch (IOException ignored) {
            // some file systems refuse to open directories; the rename is still atomic
        }
    }

    /**
     * Keeps {@code current} as {@code previous} before it is replaced (a hard link renamed into
     * place: no copy; a copy written atomically where the file system has no hard links). A kill
     * part way leaves the old pair, or the old file under both names.
     */
    public static void keepAsPrevious(Path current, Path previous) throws IOException {
        Path tmp = previous.resolveSibling(previous.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createLink(tmp, current);
            Files.move(tmp, previous, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (UnsupportedOperationException | IOException e) { // a file system without hard links
            write(previous, Files.readAllBytes(current));
        }
    }
}
