package io.amifactory.engine.share;

/**
 * AWS failed while the share was being checked (before any change), for example access denied or
 * throttling beyond the retry budget. Nothing was shared or unshared anywhere.
 */
public class ShareAbortedException extends RuntimeException {
    public ShareAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
