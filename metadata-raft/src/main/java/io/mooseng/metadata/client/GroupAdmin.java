package io.mooseng.metadata.client;

import io.mooseng.core.status.MemberStatus;
import io.mooseng.core.status.MetadataGroupStatus;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.metadata.raft.RaftMember;
import io.mooseng.metadata.raft.RaftPeers;
import io.mooseng.metadata.rpc.RaftRpc;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.LogInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Administration of the metadata group, reached by the masters' raft addresses: each
 * member's status, and membership changes (add or remove a master or a metalogger). A
 * membership change is a log entry of its own (Raft joint consensus in Ratis): the group
 * keeps serving while it commits, and a new member first catches up from the leader.
 */
public final class GroupAdmin implements MetadataGroupStatus {
    private static final MetadataClientConfig ADMIN = new MetadataClientConfig(Duration.ofSeconds(2), Duration.ofMillis(100),
            Duration.ofSeconds(30), 1, 1, 1, 1, null);

    private final List<String> addresses;
    private final MetadataClientConfig config;

    private GroupAdmin(List<String> addresses, MetadataClientConfig config) {
        this.addresses = List.copyOf(addresses);
        this.config = config;
    }

    public static GroupAdmin connect(List<String> raftAddresses) {
        return connect(raftAddresses, null);
    }

    /**
     * With mutual TLS unless {@code tls} is null. The masters let an admin's or a master's
     * certificate change the membership, a metalogger's add listeners, others only read it.
     */
    public static GroupAdmin connect(List<String> raftAddresses, ClusterTls tls) {
        return new GroupAdmin(raftAddresses, ADMIN.withTls(tls));
    }

    /** The current configuration, from the first member that answers. */
    public Membership membership() throws IOException {
        IOException last = null;
        for (String address : addresses) {
            RaftMember m = RaftMember.of(address);
            try (RaftClient c = queryClient(RaftPeers.group(List.of(m), List.of()))) {
                GroupInfoReply info = c.getGroupManagementApi(RaftPeerId.valueOf(m.id())).info(RaftPeers.GROUP_ID);
                RaftConfigurationProto conf = info.getConf().orElseThrow(() -> new IOException(address + " reported no configuration"));
                return new Membership(members(conf.getPeersList()), members(conf.getListenersList()));
            } catch (IOException | RuntimeException e) {
                last = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
        }
        throw new IOException("no master answered at " + addresses + ": " + last, last);
    }

    /** Every voter and listener of the current configuration, as each reports itself. */
    @Override
    public List<MemberStatus> status() throws IOException {
        Membership conf = membership();
        List<MemberStatus> out = new ArrayList<>();
        try (RaftClient c = queryClient(RaftPeers.group(conf.voters(), conf.listeners()))) {
            for (RaftMember m : conf.all()) {
                out.add(statusOf(c, m));
            }
        }
        long leaderCommit = out.stream().filter(s -> s.role().equals("LEADER")).mapToLong(MemberStatus::commitIndex).max().orElse(-1);
        return out.stream().map(s -> leaderCommit < 0 || s.appliedIndex() < 0 ? s : s.withLag(Math.max(0, leaderCommit - s.appliedIndex())))
                .toList();
    }

    /** A client that asks each member once: a member that is down is reported, not waited for. */
    private RaftClient queryClient(RaftGroup group) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS));
        return RaftRpc.newClient(group, p, RetryPolicies.noRetry(), config.tls());
    }

    /** Adds a voting master; it must be running with a peer list that includes itself. */
    public void addVoter(RaftMember member) throws IOException {
        change(membership(), SetConfigurationRequest.Arguments.newBuilder()
                .setServersInNewConf(List.of(RaftPeers.peer(member, RaftPeerRole.FOLLOWER)))
                .setMode(SetConfigurationRequest.Mode.ADD).build());
    }

    /** Adds a listener (metalogger); it must be running. Adding one already there changes nothing. */
    public void addListener(RaftMember member) throws IOException {
        Membership conf = membership();
        if (conf.listeners().contains(member)) {
            return;
        }
        change(conf, SetConfigurationRequest.Arguments.newBuilder()
                .setServersInNewConf(List.of())
                .setListenersInNewConf(List.of(RaftPeers.peer(member, RaftPeerRole.LISTENER)))
                .setMode(SetConfigurationRequest.Mode.ADD).build());
    }

    /** Removes a master or listener by id; the configuration must keep at least one voter. */
    public void remove(String id) throws IOException {
        Membership conf = membership();
        Predicate<RaftMember> keep = m -> !m.id().equals(id);
        List<RaftMember> voters = conf.voters().stream().filter(keep).toList();
        List<RaftMember> listeners = conf.listeners().stream().filter(keep).toList();
        if (voters.size() + listeners.size() == conf.all().size()) {
            throw new IllegalArgumentException("no member '" + id + "' in " + conf);
        }
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("cannot remove the last voting master " + id);
        }
        change(conf, SetConfigurationRequest.Arguments.newBuilder()
                .setServersInNewConf(peers(voters, RaftPeerRole.FOLLOWER))
                .setListenersInNewConf(peers(listeners, RaftPeerRole.LISTENER))
                .setServersInCurrentConf(peers(conf.voters(), RaftPeerRole.FOLLOWER))
                .setListenersInCurrentConf(peers(conf.listeners(), RaftPeerRole.LISTENER))
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET).build());
    }

    /** Submits a configuration change to the leader of the group whose configuration is {@code conf}. */
    private void change(Membership conf, SetConfigurationRequest.Arguments arguments) throws IOException {
        try (RaftClient c = RaftMetadataService.newRaftClient(RaftPeers.group(conf.voters(), conf.listeners()), config)) {
            RaftClientReply reply = c.admin().setConfiguration(arguments);
            if (!reply.isSuccess()) {
                throw new IOException("membership change " + arguments + " failed: " + reply.getException());
            }
        }
    }

    private static MemberStatus statusOf(RaftClient c, RaftMember m) {
        try {
            GroupInfoReply info = c.getGroupManagementApi(RaftPeerId.valueOf(m.id())).info(RaftPeers.GROUP_ID);
            LogInfoProto log = info.getLogInfoProto();
            return new MemberStatus(m.id(), m.address(), info.getRoleInfoProto().getRole().name(), log.getLastEntry().getTerm(),
                    log.getCommitted().getIndex(), log.getApplied().getIndex(),
                    log.hasLastSnapshot() ? log.getLastSnapshot().getIndex() : -1, -1, null);
        } catch (IOException | RuntimeException e) {
            return MemberStatus.down(m.id(), m.address(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static List<RaftMember> members(List<RaftPeerProto> protos) {
        return protos.stream().map(p -> new RaftMember(p.getId().toStringUtf8(), p.getAddress())).toList();
    }

    private static List<RaftPeer> peers(List<RaftMember> members, RaftPeerRole role) {
        return members.stream().map(m -> RaftPeers.peer(m, role)).toList();
    }

    /** The voting members and the listeners of the group. */
    public record Membership(List<RaftMember> voters, List<RaftMember> listeners) {
        public List<RaftMember> all() {
            List<RaftMember> all = new ArrayList<>(voters);
            all.addAll(listeners);
            return all;
        }
    }
}
