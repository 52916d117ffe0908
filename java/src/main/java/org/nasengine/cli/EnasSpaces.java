package org.nasengine.cli;

import org.nasengine.backend.Backend;
import org.nasengine.data.ImageDataset;
import org.nasengine.nas.child.MacroCnnNetwork;
import org.nasengine.nas.oneshot.MacroSupernet;
import org.nasengine.nas.space.BudgetedSpace;
import org.nasengine.nas.space.ChainedMacroSpace;
import org.nasengine.nas.space.CostBudget;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.space.MacroCnn;
import org.nasengine.nas.space.MacroCnnSpace;

/**
 * ENAS' macro search on our macro-cnn space: a fixed layer count (--max-layers; the supernet holds
 * every layer, so there is no curriculum), each layer reading the one before it as in ENAS
 * ({@link ChainedMacroSpace}: the controller picks the skip inputs), the default kernel and filter
 * choices, --strides, and the --max-mflops budget enforced while sampling as in every search.
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

    static MacroSupernet macroSupernet(OneShotSettings s, ImageDataset ds, Backend backend) {
        return new MacroSupernet(s.macroLayers(), MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, ds.channels(), ds.height(), ds.width(),
                ds.classes(), backend, s.seed());
    }
}
