package io.mooseng.cli;

import io.mooseng.core.config.HostPort;
import io.mooseng.metadata.client.GroupAdmin;
import io.mooseng.metadata.raft.RaftMember;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code admin master add|remove}: membership changes, each a committed configuration entry. */
final class MembershipCommands {
    private MembershipCommands() {
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a master. Start it first with --peers listing the current masters and itself; it catches up from the leader.")
    static final class Add implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Mixin
        OutputOption out;

        @Option(names = "--id", required = true, description = "The new master's id.")
        String id;

        @Option(names = "--address", required = true, paramLabel = "HOST:PORT", description = "The new master's raft address.")
        String address;

        @Override
        public Integer call() throws Exception {
            RaftMember member = new RaftMember(id, HostPort.parse(address).toString());
            GroupAdmin admin = masters.groupAdmin();
            admin.addVoter(member);
            var voters = admin.membership().voters();
            out.print(java.util.Map.of("added", member.toString(), "voters", voters.stream().map(Object::toString).toList()),
                    () -> "added master " + member + "; voters now " + voters);
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a master (or a metalogger) by id.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Mixin
        OutputOption out;

        @Option(names = "--id", required = true, description = "Id of the member to remove.")
        String id;

        @Override
        public Integer call() throws Exception {
            GroupAdmin admin = masters.groupAdmin();
            admin.remove(id);
            var voters = admin.membership().voters();
            out.print(java.util.Map.of("removed", id, "voters", voters.stream().map(Object::toString).toList()),
                    () -> "removed " + id + "; voters now " + voters);
            return 0;
        }
    }
}
