package org.nasengine.export;

/** A weights file that cannot be read, or does not fit the network: the message names the file and the tensor. */
public final class WeightsException extends RuntimeException {
    public WeightsException(String message) {
        super(message);
    }
}
