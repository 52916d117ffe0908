package org.nasengine.nas.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The append-only record of finished children: one JSON line each, flushed and fsynced as each
 * child finishes, so a search killed at any moment loses at most the child in training. A torn
 * last line (kill during the write) is dropped when the log is reopened.
 *
 * <p>Each line ends with its own checksum, {@code ,"crc32c":"8 hex digits"}, the CRC-32C of the
 * line without that field: a record changed or partly overwritten after it was written is found,
 * not read as a different child. Lines without the field (logs of earlier versions) are read as
 * before. A damaged line is never skipped silently: {@link #read} refuses the log, naming the
 * line, and {@link #repair} drops such lines after keeping a copy of the original beside it.
 */
public final class TrialLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CHECKSUM = Pattern.compile(",\"crc32c\":\"([0-9a-f]{8})\"}$");
    private final Path file;
    private final FileChannel channel;

    /** A line of the log that is not a record as written: 1-based line number, what is wrong. */
    public record Damage(int line, String problem) {}

    /**
     * What reading the log found.
     *
     * @param trials the good records, in order
     * @param damaged the complete lines that are not good records
     * @param tornTail whether the file ends in a line without its newline (a kill during the write), left out
     */
    public record Scan(Path file, List<Trial> trials, List<Damage> damaged, boolean tornTail) {
        /** The first damaged line as an exception that names the file, the line and the problem. */
        public void throwIfDamaged() throws DamagedFileException {
            if (damaged.isEmpty()) return;
            Damage d = damaged.getFirst();
            String more = damaged.size() > 1 ? " (and " + (damaged.size() - 1) + " more damaged line(s))" : "";
            throw new DamagedFileException(file, d.line(), d.problem() + more);
        }
    }

    private TrialLog(Path file, FileChannel channel) {
        this.file = file;
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
        return new TrialLog(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
    }

    /** Every record of the log, in order; a damaged line is a {@link DamagedFileException}. */
    public static List<Trial> read(Path file) throws IOException {
        Scan scan = scan(file);
        scan.throwIfDamaged();
        return scan.trials();
    }

    /** Reads every complete line, keeping the good records and noting the damaged lines. */
    public static Scan scan(Path file) throws IOException {
        List<Trial> trials = new ArrayList<>();
        List<Damage> damaged = new ArrayList<>();
        if (!Files.exists(file)) return new Scan(file, trials, damaged, false);
        byte[] bytes = Files.readAllBytes(file);
        int start = 0, lineNo = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') continue;
            lineNo++;
            String problem = check(Arrays.copyOfRange(bytes, start, i), trials);
            if (problem != null) damaged.add(new Damage(lineNo, problem));
            start = i + 1;
        }
        return new Scan(file, trials, damaged, start < bytes.length);
    }

    /**
     * Rewrites the log without its damaged lines (and without a torn last line), after keeping the
     * original as {@code trials.jsonl.orig} beside it (.orig.2, ... when that exists). Good lines
     * are kept byte for byte. Returns the copy, or null when nothing was damaged.
     */
    public static Path repair(Path file) throws IOException {
        Scan scan = scan(file);
        if (scan.damaged().isEmpty()) return null;
        byte[] bytes = Files.readAllBytes(file);
        Path copy = file.resolveSibling(file.getFileName() + ".orig");
        for (int k = 2; Files.exists(copy); k++) copy = file.resolveSibling(file.getFileName() + ".orig." + k);
        AtomicFiles.write(copy, bytes);
        ByteArrayOutputStream kept = new ByteArrayOutputStream(bytes.length);
        int start = 0, lineNo = 0, d = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') continue;
            lineNo++;
            if (d < scan.damaged().size() && scan.damaged().get(d).line() == lineNo) d++;
            else kept.write(bytes, start, i + 1 - start);
            start = i + 1;
        }
        AtomicFiles.write(file, kept.toByteArray());
        return copy;
    }

    /** Null when {@code line} is a good record (added to {@code out}) or blank; else what is wrong with it. */
    private static String check(byte[] line, List<Trial> out) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            return "not text (bytes that are not UTF-8: the line was overwritten)";
        }
        if (text.isBlank()) return null;
        if (text.indexOf('\0') >= 0) return "zero bytes in the record (a write that never fully reached the disk)";
        String body = text;
        Matcher m = CHECKSUM.matcher(text);
        if (m.find()) {
            body = text.substring(0, m.start()) + "}";
            String want = m.group(1), got = crc(body);
            if (!want.equals(got))
                return "checksum mismatch (crc32c " + got + ", the line says " + want + "): the record was changed after it was written";
        }
        try {
            Trial t = JSON.readValue(body, Trial.class);
            if (t == null || t.arch() == null || t.status() == null || t.strategy() == null)
                return "not a trial record (no arch, status or strategy)";
            out.add(t);
            return null;
        } catch (IOException | RuntimeException e) {
            if (e instanceof JsonEOFException) return "cut short (the record ends part way: a shorter write over it, or a lost block)";
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage());
            return "not a trial record: " + why.lines().findFirst().orElse(why).replaceFirst("\\s*\\(start marker at .*$", "");
        }
    }

    private static String crc(String body) {
        CRC32C c = new CRC32C();
        c.update(body.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().toHexDigits((int) c.getValue());
    }

    /** The line this version writes for {@code trial}: its JSON with the checksum as the last field, and a newline. */
    static String line(Trial trial) throws IOException {
        String body = JSON.writeValueAsString(trial);
        return body.substring(0, body.length() - 1) + ",\"crc32c\":\"" + crc(body) + "\"}\n";
    }

    /**
     * Appends one record and forces it to disk. A write that fails (a full disk) is cut back off, so
     * the log never keeps half a record; the failure names the file.
     */
    public synchronized void append(Trial trial) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(line(trial).getBytes(StandardCharsets.UTF_8));
        long before = channel.size();
        try {
            while (buf.hasRemaining()) channel.write(buf);
            channel.force(false);
        } catch (IOException e) {
            try {
                channel.truncate(before);
            } catch (IOException ignored) {
                // a torn last line is also cut when the log is next opened
            }
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
