package io.amifactory.cli;

/** A command line that makes no sense (for example, no region anywhere); exit code 2, nothing done. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
