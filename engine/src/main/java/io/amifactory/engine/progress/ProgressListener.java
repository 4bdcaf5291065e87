package io.amifactory.engine.progress;

/**
 * Where the engine tells a human what it is doing. The CLI prints lines to stderr; the Jenkins plugin
 * adapts this to a build's TaskListener. Implementations must be thread-safe: regions are worked on in
 * parallel. Nothing secret is ever passed here (no keys, tokens or user data).
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = line -> { };

    void info(String line);

    default void warn(String line) {
        info("WARNING: " + line);
    }
}
