package io.mooseng.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mooseng} command. */
@Command(name = "mooseng", mixinStandardHelpOptions = true, version = "MooseNG 0.1.0",
        description = "A distributed storage cluster: S3 API and POSIX mount over one namespace.",
        subcommands = {ServerCommand.class, BenchCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
