package org.nasengine.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file that is missing, truncated or not what its name says. The message starts with
 * the file (or folder) and says what was wrong: wrong magic, short read, bad record size, label
 * out of range, counts that disagree, or the file names that were looked for.
 */
public final class DatasetException extends IOException {
    private final Path file;

    public DatasetException(Path file, String detail) {
        super(file + ": " + detail);
        this.file = file;
    }

    public DatasetException(Path file, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = file;
    }

    /** The file or folder at fault. */
    public Path file() {
        return file;
    }
}
