package org.nasengine.cluster.spark;

import java.io.Serializable;

/** One child as it travels to an executor: its trial id, its architecture (compact JSON) and its seed. */
record ChildToTrain(int trialId, String archJson, long seed) implements Serializable {}
