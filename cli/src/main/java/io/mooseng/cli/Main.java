package io.mooseng.cli;

import io.mooseng.cli.node.SoftHeapBound;

import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mooseng} command. */
@Command(name = "mooseng", mixinStandardHelpOptions = true, version = "MooseNG " + Version.NUMBER,
        description = "A distributed storage cluster: S3 API and POSIX mount over one namespace.")
public final class Main {
    private static final List<Class<?>> SUBCOMMANDS = List.of(ServerCommand.class, MasterCommand.class, ChunkserverCommand.class,
            GatewayCommand.class, MountCommand.class, MetaloggerCommand.class, AdminCommand.class, BenchCommand.class,
            ImportCommand.class, picocli.AutoComplete.GenerateCompletion.class);

    public static void main(String[] args) {
        // Ratis' shaded gRPC logs through java.util.logging; keep it as quiet as our own logs
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        SoftHeapBound.applyDefault();
        System.exit(commandLine(args.length == 0 ? null : args[0]).execute(args));
    }

    /** The whole command line, every subcommand included. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line as {@code mooseng} runs it: a refused request (a bad argument, an
     * answer of the cluster that is an error) prints one line, and a hint where one helps
     * ({@link ErrorHints}), and exits 1; anything else also prints its stack trace.
     */
    static CommandLine commandLine(String first) {
        CommandLine line = new CommandLine(new Main());
        // picocli builds a subcommand's model by reflection over its options and mixins: ~1 s of CPU for
        // all of them at every process start, while a process runs one (completion and help need all)
        boolean one = SUBCOMMANDS.stream().anyMatch(c -> nameOf(c).equals(first)) && !first.equals("generate-completion");
        for (Class<?> c : SUBCOMMANDS) {
            if (!one || nameOf(c).equals(first)) {
                line.addSubcommand(c);
            }
        }
        return line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IllegalArgumentException || cause instanceof io.mooseng.core.error.MooseException
                    || cause instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("error: " + cause.getMessage());
                String hint = ErrorHints.hint(cause);
                if (hint != null) {
                    cmd.getErr().println("hint: " + hint);
                }
            } else {
                cause.printStackTrace(cmd.getErr());
            }
            return 1;
        });
    }

    private static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }
}
