package org.nasengine.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The IDX format of MNIST and Fashion-MNIST: a big-endian header (magic 0x0000 08 nd: unsigned
 * bytes, nd dimensions), nd 32-bit sizes, then the bytes row-major. Every way a file can
 * disagree with its header is an error naming the file.
 */
final class Idx {
    private static final int UBYTE = 0x08;

    /** The sizes from the header and the data bytes. */
    record Array(int[] dims, byte[] data) {
        int count() {
            return dims[0];
        }
    }

    private Idx() {
    }

    /** Reads a ubyte IDX file of {@code rank} dimensions. */
    static Array read(Path file, int rank) throws IOException {
        byte[] bytes = DataFiles.readAll(file);
        int header = 4 + 4 * rank;
        if (bytes.length < header)
            throw new DatasetException(file, "short read: " + bytes.length + " bytes, less than the " + header + "-byte IDX header");
        int magic = DataFiles.int32(bytes, 0);
        int expectedMagic = UBYTE << 8 | rank;
        if (magic != expectedMagic)
            throw new DatasetException(file, String.format("wrong magic 0x%08x, expected 0x%08x (unsigned bytes, %d dimensions)",
                    magic, expectedMagic, rank));
        int[] dims = new int[rank];
        long length = 1;
        for (int d = 0; d < rank; d++) {
            dims[d] = DataFiles.int32(bytes, 4 + 4 * d);
            if (dims[d] < 0) throw new DatasetException(file, "dimension " + d + " is negative (" + dims[d] + ")");
            length *= dims[d];
        }
        long available = bytes.length - header;
        if (available < length)
            throw new DatasetException(file, "short read: header " + Arrays.toString(dims) + " needs " + length
                    + " data bytes, found " + available);
        if (available > length)
            throw new DatasetException(file, (available - length) + " bytes after the " + length
                    + " data bytes that header " + Arrays.toString(dims) + " announces");
        return new Array(dims, Arrays.copyOfRange(bytes, header, bytes.length));
    }
}
