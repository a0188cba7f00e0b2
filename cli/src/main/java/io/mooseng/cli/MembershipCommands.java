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

        @Option(names = "--id", required = true, description = "The new master's id.")
        String id;

        @Option(names = "--address", required = true, paramLabel = "HOST:PORT", description = "The new master's raft address.")
        String address;

        @Override
        public Integer call() throws Exception {
            RaftMember member = new RaftMember(id, HostPort.parse(address).toString());
            GroupAdmin admin = masters.groupAdmin();
            admin.addVoter(member);
            System.out.println("added master " + member + "; voters now " + admin.membership().voters());
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a master (or a metalogger) by id.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Option(names = "--id", required = true, description = "Id of the member to remove.")
        String id;

        @Override
        public Integer call() throws Exception {
            GroupAdmin admin = masters.groupAdmin();
            admin.remove(id);
            System.out.println("removed " + id + "; voters now " + admin.membership().voters());
            return 0;
        }
    }
}
