/**
 * Datasets: loaders for Fashion-MNIST (gzip IDX), CIFAR-10 (binary records) and the Penn
 * Treebank, plus generated {@link org.nasengine.data.Synthetic} images for fast tests. Image data
 * is held out into train/validation (by {@link org.nasengine.data.HoldOut}) and test, normalised
 * with training statistics, and served by {@link org.nasengine.data.Batches}. Broken files are
 * {@link org.nasengine.data.DatasetException}s naming the file and the fault.
 */
package org.nasengine.data;
