package io.amifactory.cli;

/** The exit codes every subcommand uses. */
public final class ExitCode {
    /** Everything asked for was done. */
    public static final int OK = 0;
    /** Some of it failed; the rest was done and reported. */
    public static final int PARTIAL = 1;
    /** Invalid input, usage error or no credentials: nothing was changed. */
    public static final int INVALID = 2;
    /** {@code watch} was stopped (Ctrl-C): 128 + SIGINT, what shells report for it. SIGTERM gives 143. */
    public static final int STOPPED = 130;

    private ExitCode() {
    }
}
