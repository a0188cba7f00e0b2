package io.mooseng.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mooseng} command. */
@Command(name = "mooseng", mixinStandardHelpOptions = true, version = "MooseNG 0.1.0",
        description = "A distributed storage cluster: S3 API and POSIX mount over one namespace.",
        subcommands = {ServerCommand.class, MasterCommand.class, ChunkserverCommand.class, GatewayCommand.class, MountCommand.class,
                MetaloggerCommand.class, AdminCommand.class, BenchCommand.class})
public final class Main {
    public static void main(String[] args) {
        // Ratis' shaded gRPC logs through java.util.logging; keep it as quiet as our own logs
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
