package org.nasengine.cli;

/**
 * A run that could not go on for a reason outside the user's input (a full disk), left in a state
 * it can continue from: printed as one line that says what to do, exit code 1.
 */
final class Stopped extends RuntimeException {
    Stopped(String message, Throwable cause) { super(message, cause); }
}
