package org.nasengine.nas.search;

import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.Nb201;

/**
 * Evaluates a cell by looking it up in a benchmark's table: the reward and validation metric are
 * the table's metric column, the report column goes to the trial's {@code report} (never to the
 * strategy). Nothing is trained, so a query takes microseconds and costs one unit of the budget.
 */
public final class TableEvaluator implements ChildEvaluator {
    private final ResultTable table;

    public TableEvaluator(ResultTable table) {
        this.table = table;
    }

    @Override
    public ChildResult evaluate(int trialId, Architecture arch, long seed) {
        if (!(arch instanceof Nb201 cell))
            throw new IllegalArgumentException("the table evaluator looks up nb201 cells, not " + arch.space() + " architectures");
        ResultTable.Row row = table.row(cell.cellString());
        if (row == null)
            return ChildResult.failed("failed", table.file() + " has no row for cell " + cell.cellString() + " (column "
                    + ResultTable.CELL_COLUMN + ")", 0);
        return new ChildResult(row.metric(), row.metric(), 0, Double.NaN, 0, "ok", null, row.report());
    }
}
