package org.nasengine.cli;

/**
 * A search whose children are looked up in a benchmark's table instead of trained: the CSV file,
 * the column that is the reward (the search signal) and the held-out column recorded as each
 * trial's report.
 */
public record TableSettings(String file, String metric, String report) {}
