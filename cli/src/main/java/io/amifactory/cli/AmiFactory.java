package io.amifactory.cli;

import io.amifactory.engine.aws.NoCredentialsException;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.track.LedgerException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code amifactory}: the factory's engine from a terminal, no Jenkins needed. */
@Command(name = "amifactory",
        mixinStandardHelpOptions = true,
        version = "amifactory 0.1.0",
        description = "Track upstream AMIs and build, share and prune your own. See README.md and docs/.",
        subcommands = {
            CommandLine.HelpCommand.class,
            CheckCommand.class,
            WatchCommand.class,
            BuildCommand.class,
            ReapCommand.class,
            ShareCommand.class, PruneCommand.class, LatestCommand.class,
        })
public final class AmiFactory implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command with the given output streams; returns the exit code. Used by the tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new AmiFactory());
        cl.setExitCodeExceptionMapper(AmiFactory::exitCodeOf);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            String hint = ex instanceof NoCredentialsException ? " Or pass --profile, or try the emulator with --sandbox." : "";
            cmd.getErr().println("amifactory: " + messageOf(ex) + hint);
            cmd.getErr().flush();
            return exitCodeOf(ex);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("amifactory: " + ex.getMessage());
            cmd.getErr().println("Try 'amifactory " + cmd.getCommandSpec().qualifiedName().replaceFirst("^amifactory ?", "")
                    + (cmd.getCommandSpec().qualifiedName().equals("amifactory") ? "" : " ") + "--help'.");
            return ExitCode.INVALID;
        });
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }

    static int exitCodeOf(Throwable ex) {
        if (ex instanceof InputException || ex instanceof NoCredentialsException
                || ex instanceof CommandLine.ParameterException || ex instanceof UsageException
                || ex instanceof LedgerException) {
            return ExitCode.INVALID;
        }
        return ExitCode.PARTIAL;
    }

    private static String messageOf(Throwable ex) {
        String m = ex.getMessage();
        return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (check, watch, build, share, prune, latest, reap)");
    }
}
