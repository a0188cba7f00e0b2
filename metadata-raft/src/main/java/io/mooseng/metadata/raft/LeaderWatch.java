package io.mooseng.metadata.raft;

import io.mooseng.core.security.ClusterTls;
import io.mooseng.metadata.rpc.RaftRpc;
import io.mooseng.metadata.rpc.RaftRpcConnection;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionReplyProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.ProtoUtils;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Notices a dead leader from its closed connection instead of waiting out the election
 * timeout. A follower keeps one idle connection to the leader's Raft port; when the kernel
 * closes it and a new connection is refused, the leader's process is gone, and the follower
 * starts an election at once (Ratis's timer would take one to two election timeouts).
 *
 * <p>Only a refused connection counts: a leader that is alive but frozen or cut off keeps its
 * connections open or lets them time out, and is left to the election timeout with pre-vote,
 * so a healthy leader is never disrupted. The election is started through Ratis's own
 * leadership-transfer entry point, which refuses unless this peer still follows the dead
 * leader in the same term and holds the entries of that term. Only the survivor with the
 * longest log campaigns, so its election is neither refused nor split.
 */
final class LeaderWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderWatch.class);
    /** How often the watch looks for a new leader to watch. */
    private static final Duration POLL = Duration.ofMillis(20);
    /** A connection to a live process on a reachable host is accepted well within this. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(200);
    private static final Executor VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();

    private final RaftServer server;
    private final RaftServer.Division division;
    /** The peer's own identity: the watch's connections are the Raft RPC's, TLS included (null: plaintext). */
    private final ClusterTls tls;
    private final Thread poller;
    private volatile boolean running = true;
    private Watched watched;

    /** The leader of one term and the connection held to it. */
    private record Watched(RaftPeerId leader, long term, InetSocketAddress address, RaftRpcConnection connection) {
    }

    private LeaderWatch(RaftServer server, RaftServer.Division division, ClusterTls tls) {
        this.server = server;
        this.division = division;
        this.tls = tls;
        this.poller = Thread.ofVirtual().name("leader-watch-" + server.getId()).unstarted(this::poll);
    }

    static LeaderWatch start(RaftServer server, ClusterTls tls) throws IOException {
        LeaderWatch watch = new LeaderWatch(server, server.getDivision(RaftPeers.GROUP_ID), tls);
        watch.poller.start();
        return watch;
    }

    private void poll() {
        while (running) {
            try {
                follow();
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("leader watch of {}: {}", server.getId(), e.toString());
            }
        }
    }

    /** Starts watching the leader this peer follows now, if it is not watched already. */
    private void follow() {
        DivisionInfo info = division.getInfo();
        RaftPeerId leader = info.getLeaderId();
        long term = info.getCurrentTerm();
        synchronized (this) {
            if (watched != null && watched.leader.equals(leader) && watched.term == term) {
                return;
            }
        }
        unwatch();
        if (!info.isFollower() || leader == null || leader.equals(server.getId())) {
            return;
        }
        RaftPeer peer = division.getRaftConf().getPeer(leader);
        if (peer == null || peer.getAddress() == null) {
            return;
        }
        InetSocketAddress address = new InetSocketAddress(RaftPeers.host(peer.getAddress()), RaftPeers.port(peer.getAddress()));
        // an idle connection of the Raft RPC: it closes when the leader's process exits, and
        // fails at once when the connection is refused
        Watched w = new Watched(leader, term, address, new RaftRpcConnection(peer.getAddress(), CONNECT_TIMEOUT.toMillis(), tls));
        synchronized (this) {
            watched = w; // once per leader and term
        }
        w.connection.closeFuture().thenRunAsync(() -> leaderConnectionClosed(w), VIRTUAL);
    }

    private void leaderConnectionClosed(Watched w) {
        synchronized (this) {
            if (!running || watched != w) {
                return; // closed by unwatch: a new leader or term
            }
        }
        if (!refusesConnections(w.address)) {
            synchronized (this) {
                if (watched == w) {
                    watched = null; // alive (it dropped an idle connection): the poller reconnects
                }
            }
            return;
        }
        try {
            if (holdsTheLongestLog(w.leader)) {
                startElection(w);
            }
        } catch (IOException | RuntimeException e) { // e.g. this peer is closing
            LOG.info("{} could not start an election after leader {} exited: {}", server.getId(), w.leader, e.toString());
        }
    }

    /**
     * Whether this peer should be the one to campaign: no surviving voter that answers holds a
     * longer log (ties go to the lowest id). A candidate with a shorter log would only be
     * refused, and its higher term would restart the others' election timers.
     */
    private boolean holdsTheLongestLog(RaftPeerId deadLeader) throws IOException {
        TermIndex mine = division.getRaftLog().getLastEntryTermIndex();
        List<RaftPeer> others = division.getRaftConf().getCurrentPeers().stream()
                .filter(p -> !p.getId().equals(deadLeader) && !p.getId().equals(server.getId())).toList();
        if (mine == null || others.isEmpty()) {
            return mine != null;
        }
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        try (RaftClient client = RaftRpc.newClient(RaftGroup.valueOf(RaftPeers.GROUP_ID, others), p, RetryPolicies.noRetry(), tls)) {
            List<CompletableFuture<Optional<TermIndex>>> answers = others.stream().map(peer -> CompletableFuture.supplyAsync(
                    () -> lastEntryOf(client, peer.getId()), VIRTUAL)).toList();
            for (int i = 0; i < others.size(); i++) {
                Optional<TermIndex> theirs = answers.get(i).join();
                RaftPeerId id = others.get(i).getId();
                if (theirs.isPresent() && (theirs.get().compareTo(mine) > 0
                        || theirs.get().compareTo(mine) == 0 && id.toString().compareTo(server.getId().toString()) < 0)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static Optional<TermIndex> lastEntryOf(RaftClient client, RaftPeerId peer) {
        try {
            GroupInfoReply info = client.getGroupManagementApi(peer).info(RaftPeers.GROUP_ID);
            return Optional.of(TermIndex.valueOf(info.getLogInfoProto().getLastEntry()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // down or unreachable: it cannot win an election either
        }
    }

    private static boolean refusesConnections(InetSocketAddress address) {
        try (Socket probe = new Socket()) {
            probe.connect(address, (int) CONNECT_TIMEOUT.toMillis());
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Asks this peer's Ratis server to campaign, as a leadership transfer from {@code w.leader}
     * would. Skipped when another peer's election or a new leader has already moved the term on.
     */
    private void startElection(Watched w) throws IOException {
        DivisionInfo info = division.getInfo();
        TermIndex last = division.getRaftLog().getLastEntryTermIndex();
        if (!running || !info.isFollower() || !w.leader.equals(info.getLeaderId()) || info.getCurrentTerm() != w.term
                || last == null || last.getTerm() != w.term) {
            return;
        }
        StartLeaderElectionRequestProto request = StartLeaderElectionRequestProto.newBuilder()
                .setServerRequest(RaftRpcRequestProto.newBuilder()
                        .setRequestorId(w.leader.toByteString())
                        .setReplyId(server.getId().toByteString())
                        .setRaftGroupId(ProtoUtils.toRaftGroupIdProtoBuilder(RaftPeers.GROUP_ID)))
                .setLeaderLastEntry(last.toProto())
                .build();
        StartLeaderElectionReplyProto reply = server.startLeaderElection(request);
        LOG.info("leader {} of term {} exited (connection closed and refused): {} {} an election", w.leader, w.term,
                server.getId(), reply.getServerReply().getSuccess() ? "started" : "could not start");
    }

    private void unwatch() {
        Watched w;
        synchronized (this) {
            w = watched;
            watched = null;
        }
        if (w != null) {
            w.connection.close();
        }
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
        unwatch();
    }

    @Override
    public String toString() {
        return "LeaderWatch[" + server.getId() + ", " + Objects.toString(watched) + "]";
    }
}
