package org.nasengine.nas.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only record of finished children: one JSON line each, flushed and fsynced as each
 * child finishes, so a search killed at any moment loses at most the child in training. A torn
 * last line (kill during the write) is dropped when the log is reopened.
 */
public final class TrialLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FileChannel channel;

    private TrialLog(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens (creating if needed) the log, first cutting any torn last line. */
    public static TrialLog open(Path file) throws IOException {
        if (Files.exists(file)) {
            byte[] bytes = Files.readAllBytes(file);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') end--;
            if (end != bytes.length) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(end);
                    ch.force(true);
                }
            }
        }
        return new TrialLog(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
    }

    /** Every complete line of the log, in order. */
    public static List<Trial> read(Path file) throws IOException {
        List<Trial> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean endsWithNewline = Files.size(file) > 0 && endsWithNewline(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            if (i == lines.size() - 1 && !endsWithNewline) break; // torn by a kill mid-write
            try {
                out.add(JSON.readValue(line, Trial.class));
            } catch (JsonProcessingException e) {
                throw new IOException(file + " line " + (i + 1) + " is not a trial record: " + e.getOriginalMessage(), e);
            }
        }
        return out;
    }

    public synchronized void append(Trial trial) throws IOException {
        byte[] line = (JSON.writeValueAsString(trial) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) channel.write(buf);
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, ch.size() - 1);
            return last.get(0) == '\n';
        }
    }
}
