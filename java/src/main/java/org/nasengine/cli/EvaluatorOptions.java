package org.nasengine.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How children are evaluated: trained, or looked up in a benchmark's table. */
public final class EvaluatorOptions {
    @Option(names = "--evaluator", defaultValue = "train",
            description = "train (train each child on the proxy) or table (look each nb201 cell up in --table; no data, no training). Default: ${DEFAULT-VALUE}.")
    String evaluator = "train";
    @Option(names = "--table", description = "With --evaluator table: a CSV with an arch_str column and numeric columns (e.g. shared/data/nasbench201/nb201-cifar10.csv).")
    Path table;
    @Option(names = "--table-metric", description = "With --evaluator table: the column that is the reward, the search signal (e.g. c10_valid_12ep).")
    String metric;
    @Option(names = "--table-report", description = "With --evaluator table: the held-out column recorded with each trial, never shown to the strategy (e.g. c10_test_200ep; default: the metric).")
    String report;

    /** The table settings (null to train children), after checking that the options fit together. */
    TableSettings settings(String space) {
        switch (evaluator) {
            case "train" -> {
                if (table != null || metric != null || report != null)
                    throw new UserError("--table, --table-metric and --table-report need --evaluator table");
                return null;
            }
            case "table" -> {
                if (!space.equals("nb201")) throw new UserError("--evaluator table looks up nb201 cells: use --space nb201, not " + space);
                if (table == null) throw new UserError("--evaluator table needs --table FILE");
                if (metric == null) throw new UserError("--evaluator table needs --table-metric COLUMN (the reward's column)");
                return new TableSettings(table.toString(), metric, report != null ? report : metric);
            }
            default -> throw new UserError("--evaluator '" + evaluator + "' is not one of train, table");
        }
    }
}
