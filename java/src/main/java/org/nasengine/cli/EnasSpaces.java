package org.nasengine.cli;

import org.nasengine.backend.Backend;
import org.nasengine.data.ImageDataset;
import org.nasengine.nas.child.MacroCnnNetwork;
import org.nasengine.nas.oneshot.MacroSupernet;
import org.nasengine.nas.oneshot.NasNetEdges;
import org.nasengine.nas.oneshot.NasNetSupernet;
import org.nasengine.nas.space.BudgetedSpace;
import org.nasengine.nas.space.ChainedMacroSpace;
import org.nasengine.nas.space.CostBudget;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nas.space.MacroCnnSpace;
import org.nasengine.nas.space.NasNetSpace;
import org.nasengine.nas.space.NasNetSubspace;

/**
 * The spaces and supernets of ENAS' two searches. The macro search on our macro-cnn space: a fixed layer count (--max-layers; the supernet holds
 * every layer, so there is no curriculum), each layer reading the one before it as in ENAS
 * ({@link ChainedMacroSpace}: the controller picks the skip inputs), the default kernel and filter
 * choices, --strides, and the --max-mflops budget enforced while sampling as in every search.
 * The micro search on our nasnet space: cells of --nasnet-blocks blocks that the DARTS-form
 * {@link NasNetSupernet} can run (its operations, add blocks), the supernet at
 * --supernet-channels and --supernet-cells; the children decode at --nasnet-repeats and
 * --nasnet-filters, the network they are retrained in.
 */
final class EnasSpaces {
    private EnasSpaces() {}

    static DecisionSpace macro(OneShotSettings s, ImageDataset ds) {
        ChainedMacroSpace chained = new ChainedMacroSpace(
                new MacroCnnSpace(s.macroLayers(), MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, s.strides()));
        if (!(s.maxMflops() > 0)) return chained;
        try {
            return new BudgetedSpace(chained, a -> MacroCnnNetwork.cost((MacroCnn) a, ds.channels(), ds.height(), ds.width(), ds.classes()),
                    new CostBudget(s.maxMflops() * 1e6, 0), chained.cheapestTokens());
        } catch (IllegalArgumentException e) {
            throw new UserError("--max-mflops: " + e.getMessage());
        }
    }

    static DecisionSpace nasnet(OneShotSettings s) {
        return NasNetSubspace.summing(new NasNetSpace(s.nasnetBlocks(), s.nasnetRepeats(), s.nasnetFilters()), NasNetEdges.DARTS_OPS);
    }

    /** The DARTS-form supernet that both DARTS and ENAS search nasnet cells on. */
    static NasNetSupernet nasnetSupernet(OneShotSettings s, ImageDataset ds, Backend backend) {
        return new NasNetSupernet(s.nasnetBlocks(), s.supernetChannels(), s.supernetCells(), ds.channels(), ds.height(), ds.width(),
                ds.classes(), backend, s.seed());
    }

    static MacroSupernet macroSupernet(OneShotSettings s, ImageDataset ds, Backend backend) {
        return new MacroSupernet(s.macroLayers(), MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, ds.channels(), ds.height(), ds.width(),
                ds.classes(), backend, s.seed());
    }
}
