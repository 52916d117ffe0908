package org.nasengine.cli;

/** A problem with what the user gave (a file, an option): printed as one line, exit code 2. */
public final class UserError extends RuntimeException {
    public UserError(String message) { super(message); }
    public UserError(String message, Throwable cause) { super(message, cause); }
}
