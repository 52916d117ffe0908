package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.nasengine.data.SharedData;

/**
 * The NAS-Bench-201 CIFAR-10 table's figures for a found cell (shared/data/nasbench201/nb201-cifar10.csv):
 * {@code table_report} is its 200-epoch test accuracy, the figure the benchmark reports; the
 * search never sees it. A missing table leaves the fields out and says so.
 */
final class Nb201Report {
    static final String FILE = "nb201-cifar10.csv";

    private Nb201Report() {}

    /** Adds table_index, table_valid_12ep and table_report for {@code cell} to {@code out}; false when the table is absent. */
    static boolean add(ObjectNode out, String cell) {
        Optional<Path> dir = SharedData.find("nasbench201");
        if (dir.isEmpty() || !Files.exists(dir.get().resolve(FILE))) {
            System.err.println("nb201: no shared/data/nasbench201/" + FILE + " found; final.json has no table_report");
            return false;
        }
        Path file = dir.get().resolve(FILE);
        try {
            List<String> lines = Files.readAllLines(file);
            List<String> header = List.of(lines.getFirst().split(","));
            int arch = header.indexOf("arch_str"), valid = header.indexOf("c10_valid_12ep"), test = header.indexOf("c10_test_200ep"),
                    index = header.indexOf("index");
            if (arch < 0 || valid < 0 || test < 0 || index < 0)
                throw new UserError(file + ": header must name index, arch_str, c10_valid_12ep and c10_test_200ep");
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                if (f.length > arch && f[arch].equals(cell)) {
                    out.put("table_index", Integer.parseInt(f[index]));
                    out.put("table_valid_12ep", Double.parseDouble(f[valid]));
                    out.put("table_report", Double.parseDouble(f[test]));
                    return true;
                }
            }
            throw new UserError(file + " has no row for the cell " + cell);
        } catch (IOException | NumberFormatException e) {
            throw new UserError(file + ": " + e.getMessage(), e);
        }
    }
}
