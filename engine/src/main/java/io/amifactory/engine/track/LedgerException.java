package io.amifactory.engine.track;

/** The state file cannot be read or written. It is never reset silently. */
public class LedgerException extends RuntimeException {
    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
