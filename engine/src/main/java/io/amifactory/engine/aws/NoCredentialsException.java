package io.amifactory.engine.aws;

/** No AWS credentials could be found; the message says how to provide them. */
public class NoCredentialsException extends RuntimeException {
    public NoCredentialsException(String message, Throwable cause) {
        super(message, cause);
    }
}
