package io.mooseng.cli;

import picocli.CommandLine.Command;

/** {@code mooseng admin}: operate a running cluster. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Inspect and operate a cluster.",
        subcommands = {StatusCommand.class, AdminCommand.Master.class, AdminCommand.Metadata.class,
                PolicyCommands.class, TrashCommands.class, ZoneCommands.Group.class, ZoneCommands.Sync.class,
                CertCommands.Ca.class, CertCommands.Cert.class, IdentityCommands.User.class, IdentityCommands.Key.class,
                ClusterKeyCommands.Group.class, NotifyCommands.class})
final class AdminCommand {

    @Command(name = "master", mixinStandardHelpOptions = true, description = "Change the masters of the metadata group without downtime.",
            subcommands = {MembershipCommands.Add.class, MembershipCommands.Remove.class})
    static final class Master {
    }

    @Command(name = "metadata", mixinStandardHelpOptions = true, description = "Metadata recovery.",
            subcommands = {RestoreCommand.class})
    static final class Metadata {
    }
}
