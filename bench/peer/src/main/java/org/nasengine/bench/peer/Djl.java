package org.nasengine.bench.peer;

/**
 * Settings DJL reads once, when its engine starts: so {@link #configure} runs before any other
 * DJL class is touched. Offline, no tracking, libtorch's intra-op pool sized like ours.
 */
public final class Djl {
    private Djl() {}

    /**
     * @param threads intra-op threads (torch.set_num_threads), the count our native backend gets;
     *                the inter-op pool gets one, as eager training runs one op at a time
     */
    public static void configure(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads (" + threads + ") must be >= 1");
        System.setProperty("ai.djl.offline", "true");       // never download libtorch or models
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
}
