package org.nasengine.nas.search;

import java.io.IOException;

/**
 * The saved state of a search does not hold together: a damaged file, or a log and a checkpoint
 * that do not belong to the same search. Resuming would train or record the wrong children, so
 * the search stops before it does anything.
 */
public class SearchStateException extends IOException {
    public SearchStateException(String message) {
        super(message);
    }
}
