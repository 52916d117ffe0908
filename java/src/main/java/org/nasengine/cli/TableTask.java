package org.nasengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.nasengine.backend.Backend;
import org.nasengine.nas.child.ImageTrainer;
import org.nasengine.nas.search.ChildEvaluator;
import org.nasengine.nas.search.ResultTable;
import org.nasengine.nas.search.TableEvaluator;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.space.Nb201;
import org.nasengine.nas.space.Nb201Space;
import org.nasengine.nas.space.RestrictedSpace;

/**
 * Children looked up in a benchmark's table ({@code --evaluator table}): no data, no training; the
 * "final training" is the table's report column for the best cell.
 */
final class TableTask implements ChildTask {
    private static ResultTable lastLoaded; // search loads the table for its space and for its evaluator: once

    private final ResultTable table;

    TableTask(TableSettings t) {
        this.table = load(t);
    }

    /** Reads the table; any problem with it is a one-line user error naming file, line and column. */
    static synchronized ResultTable load(TableSettings t) {
        if (lastLoaded != null && lastLoaded.file().equals(Path.of(t.file())) && lastLoaded.metricColumn().equals(t.metric())
                && lastLoaded.reportColumn().equals(t.report())) return lastLoaded;
        try {
            lastLoaded = ResultTable.load(Path.of(t.file()), t.metric(), t.report());
            return lastLoaded;
        } catch (ResultTable.TableException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError(t.file() + ": cannot read the table: " + e.getMessage(), e);
        }
    }

    /** The nb201 space cut down to the table's cells (the whole space when the table has them all). */
    static DecisionSpace space(TableSettings t) {
        return space(load(t));
    }

    static DecisionSpace space(ResultTable table) {
        Nb201Space base = Nb201Space.benchmark();
        List<int[]> cells = new ArrayList<>(table.size());
        for (String cell : table.cells()) cells.add(base.encode(Nb201.of(Nb201.parseCell(cell))));
        return RestrictedSpace.of(base, cells);
    }

    @Override
    public String describe() {
        return String.format("table %s (%d cells; reward %s, report %s)", table.file(), table.size(), table.metricColumn(),
                table.reportColumn());
    }

    @Override
    public ChildEvaluator evaluator(Backend backend, Supplier<ImageTrainer.Listener> progress) {
        return new TableEvaluator(table);
    }

    /** No retraining: the table's figures for the best cell, {@code table_report} being the held-out one. */
    @Override
    public ObjectNode finalTraining(Path bestFile) {
        Nb201 cell = (Nb201) Architectures.read(bestFile);
        ResultTable.Row row = table.row(cell.cellString());
        ObjectNode out = Json.object();
        out.set("arch", ArchitectureCodec.toTree(cell));
        out.put("table", table.file().toString());
        out.put("metric_column", table.metricColumn());
        out.put("report_column", table.reportColumn());
        Json.putNumber(out, "table_metric", row == null ? Double.NaN : row.metric());
        Json.putNumber(out, "table_report", row == null ? Double.NaN : row.report());
        out.put("status", row == null ? "failed" : "ok");
        return out;
    }
}
