package org.nasengine.nas.search;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nasengine.nas.space.ArchitectureException;
import org.nasengine.nas.space.Nb201;

/**
 * A benchmark's table of results (NAS-Bench-201 form): a CSV file with a header, an
 * {@code arch_str} column holding each cell in the benchmark's string form and numeric columns.
 * Two columns are read: the metric (the search signal) and the report (the held-out figure). No
 * column name is assumed beyond {@code arch_str}. Fields may be double-quoted (RFC 4180, a quote
 * inside written twice); a record must fit on one line. Every problem is a {@link TableException}
 * naming the file, the line and the column.
 */
public final class ResultTable {
    public static final String CELL_COLUMN = "arch_str";

    /** One row: the metric and report values of a cell, and the line it came from. */
    public record Row(double metric, double report, int line) {}

    private final Path file;
    private final String metricColumn, reportColumn;
    private final Map<String, Row> byCell; // the cell's canonical string -> its row, in file order

    private ResultTable(Path file, String metricColumn, String reportColumn, Map<String, Row> byCell) {
        this.file = file;
        this.metricColumn = metricColumn;
        this.reportColumn = reportColumn;
        this.byCell = byCell;
    }

    /** A problem with the table's content: its message names the file, the line and the column. */
    public static final class TableException extends IllegalArgumentException {
        TableException(String message) { super(message); }
    }

    /**
     * Reads {@code file}, keeping the {@code metric} and {@code report} columns (the same column
     * may serve as both).
     */
    public static ResultTable load(Path file, String metric, String report) throws IOException {
        if (!Files.isRegularFile(file)) throw new TableException(file + ": no such file");
        Map<String, Row> byCell = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) throw new TableException(file + " line 1: empty file, expected a header with a " + CELL_COLUMN + " column");
            if (header.startsWith("\uFEFF")) header = header.substring(1); // a byte-order mark
            List<String> names = fields(header, file, 1);
            int cellAt = column(names, CELL_COLUMN, file), metricAt = column(names, metric, file), reportAt = column(names, report, file);
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                List<String> f = fields(line, file, lineNo);
                if (f.size() != names.size())
                    throw new TableException(file + " line " + lineNo + ": " + f.size() + " fields, the header has " + names.size());
                String cell = f.get(cellAt).strip();
                String key;
                try {
                    key = Nb201.of(Nb201.parseCell(cell)).cellString();
                } catch (ArchitectureException e) {
                    throw new TableException(file + " line " + lineNo + " column " + CELL_COLUMN + ": unknown cell: " + e.getMessage());
                }
                Row row = new Row(number(f.get(metricAt), file, lineNo, metric), number(f.get(reportAt), file, lineNo, report), lineNo);
                Row earlier = byCell.putIfAbsent(key, row);
                if (earlier != null)
                    throw new TableException(file + " line " + lineNo + " column " + CELL_COLUMN + ": cell " + cell + " is already on line "
                            + earlier.line());
            }
        }
        if (byCell.isEmpty()) throw new TableException(file + ": no rows after the header");
        return new ResultTable(file, metric, report, byCell);
    }

    public Path file() { return file; }

    public String metricColumn() { return metricColumn; }

    public String reportColumn() { return reportColumn; }

    public int size() { return byCell.size(); }

    /** The cells in file order, each in the benchmark's string form. */
    public List<String> cells() { return new ArrayList<>(byCell.keySet()); }

    /** The row of a cell (the benchmark's string form), or null when the table has none. */
    public Row row(String cell) { return byCell.get(cell); }

    private static int column(List<String> names, String name, Path file) {
        int at = names.indexOf(name);
        if (at < 0) throw new TableException(file + " line 1: no column '" + name + "' (columns: " + String.join(", ", names) + ")");
        return at;
    }

    private static double number(String field, Path file, int line, String column) {
        String s = field.strip();
        try {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // reported below with the position
        }
        throw new TableException(file + " line " + line + " column " + column + ": '" + s + "' is not a finite number");
    }

    /** The fields of one CSV record: comma-separated, optionally double-quoted. */
    static List<String> fields(String line, Path file, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int i = 0, n = line.length();
        while (true) {
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) throw new TableException(file + " line " + lineNo + " field " + (out.size() + 1) + ": unterminated quote");
                    char c = line.charAt(i++);
                    if (c != '"') cur.append(c);
                    else if (i < n && line.charAt(i) == '"') { cur.append('"'); i++; }
                    else break;
                }
                if (i < n && line.charAt(i) != ',')
                    throw new TableException(file + " line " + lineNo + " field " + (out.size() + 1) + ": text after a closing quote");
            } else {
                while (i < n && line.charAt(i) != ',') cur.append(line.charAt(i++));
            }
            out.add(cur.toString());
            cur.setLength(0);
            if (i >= n) return out;
            i++; // the comma
        }
    }
}
