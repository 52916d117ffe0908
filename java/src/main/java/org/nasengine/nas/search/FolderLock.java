package org.nasengine.nas.search;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per search folder: an OS lock on {@code OUT/search.lock}, which also holds the pid
 * of its holder. The operating system frees the lock when the process ends, however it ends, so a
 * lock is never left stale by a crash; the file itself stays (deleting it would let two processes
 * lock two different files of one name).
 *
 * <p>Linux frees every lock a process holds on a file when any of its descriptors of that file
 * closes, so a folder this process holds is recognised by its path and its file never reopened.
 */
public final class FolderLock implements AutoCloseable {
    public static final String FILE = "search.lock";
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    /** The folder is locked by another process (or another search of this one). */
    public static final class InUseException extends IOException {
        private final long pid;

        InUseException(Path dir, long pid) {
            super(dir + " is in use by another search (pid " + (pid > 0 ? String.valueOf(pid) : "unknown") + ")");
            this.pid = pid;
        }

        /** The holder's process id, or -1 where the lock file does not say. */
        public long pid() { return pid; }
    }

    private FolderLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir} (which must exist) at once, or throws {@link InUseException} naming the holder. */
    public static FolderLock acquire(Path dir) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        if (!HELD.add(key)) throw new InUseException(dir, ProcessHandle.current().pid());
        FileChannel ch = null;
        try {
            ch = FileChannel.open(key.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) throw new InUseException(dir, holder(ch));
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(pid), 0);
            ch.force(false);
            return new FolderLock(key, ch, lock);
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            if (ch != null) ch.close();
            throw e;
        }
    }

    /** The pid the holder wrote; it writes it just after locking, so this waits a moment for it. */
    private static long holder(FileChannel ch) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            ByteBuffer buf = ByteBuffer.allocate(32);
            ch.read(buf, 0);
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
            if (text.matches("\\d{1,19}")) return Long.parseLong(text);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            HELD.remove(key);
        }
    }
}
