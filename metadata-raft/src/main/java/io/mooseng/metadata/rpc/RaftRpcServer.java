package io.mooseng.metadata.rpc;

import io.mooseng.core.error.Failures;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.Role;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.apache.ratis.client.impl.ClientProtoUtils;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.GroupInfoRequestProto;
import org.apache.ratis.proto.RaftProtos.GroupListRequestProto;
import org.apache.ratis.proto.RaftProtos.GroupManagementRequestProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotReplyProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotRequestProto;
import org.apache.ratis.proto.RaftProtos.LeaderElectionManagementRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.ReadIndexReplyProto;
import org.apache.ratis.proto.RaftProtos.ReadIndexRequestProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteReplyProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteRequestProto;
import org.apache.ratis.proto.RaftProtos.SetConfigurationRequestProto;
import org.apache.ratis.proto.RaftProtos.SnapshotManagementRequestProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionReplyProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.proto.RaftProtos.TransferLeadershipRequestProto;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.RaftServerRpcWithProxy;
import org.apache.ratis.server.protocol.RaftServerAsynchronousProtocol;
import org.apache.ratis.thirdparty.com.google.protobuf.MessageLite;
import org.apache.ratis.thirdparty.com.google.protobuf.Parser;
import org.apache.ratis.util.PeerProxyMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A Raft member's side of the Raft RPC: it listens on the member's address for peers,
 * clients and admins ({@link Dispatcher}), and calls the other members over one
 * {@link RaftRpcConnection} each. Requests are handed to Ratis's asynchronous entry points on
 * the receiving event loop (never one of the process's own calls: {@link RpcEventLoops}); the
 * ones Ratis only offers blocking (votes, snapshot chunks, elections, admin changes) run on
 * virtual threads. With TLS, every call is first checked against the
 * role in the caller's certificate ({@link Callers}); a refused call is answered with a
 * {@link PermissionDeniedException} and the connection goes on.
 */
final class RaftRpcServer extends RaftServerRpcWithProxy<RaftRpcConnection, PeerProxyMap<RaftRpcConnection>> {
    private static final Logger LOG = LoggerFactory.getLogger(RaftRpcServer.class);
    private static final Executor BLOCKING = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("raft-rpc-call-", 0).factory());

    private final RaftServer server;
    private final RpcType type;
    private final InetSocketAddress bindAddress;
    private final long requestTimeoutMillis;
    private volatile Channel listening;
    private final Map<RaftPeerId, Boolean> unreachable = new ConcurrentHashMap<>();
    /** Accepted connections: stopping the member closes them, as its process exiting would. */
    private final ChannelGroup accepted = new DefaultChannelGroup("raft-rpc", GlobalEventExecutor.INSTANCE);

    /** Null: plaintext, every call allowed. */
    private final ClusterTls tls;

    /** Null: no admin audit trail. */
    private final AdminAudit audit;

    RaftRpcServer(RaftServer server, RpcType type, ClusterTls tls, AdminAudit audit) {
        super(server::getId, id -> new PeerProxyMap<>(id.toString(),
                peer -> new RaftRpcConnection(peer.getAddress(), requestTimeoutMillis(server), tls)));
        this.server = server;
        this.type = type;
        this.tls = tls;
        this.audit = audit;
        this.bindAddress = RaftRpcConfigKeys.bindAddress(server.getProperties());
        this.requestTimeoutMillis = requestTimeoutMillis(server);
    }

    private static long requestTimeoutMillis(RaftServer server) {
        return RaftServerConfigKeys.Rpc.requestTimeout(server.getProperties()).toLong(TimeUnit.MILLISECONDS);
    }

    @Override
    public RpcType getRpcType() {
        return type;
    }

    @Override
    protected void startImpl() throws IOException {
        Dispatcher dispatcher = new Dispatcher();
        ServerBootstrap bootstrap = new ServerBootstrap().group(RpcEventLoops.receiving()).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.add(ch);
                        if (tls != null) {
                            RpcTls.secure(ch, tls, false);
                        }
                        RpcFrames.addDecoder(ch.pipeline());
                        ch.pipeline().addLast("calls", dispatcher);
                    }
                });
        try {
            listening = bootstrap.bind(bindAddress).sync().channel();
        } catch (Exception e) {
            throw new IOException("cannot listen for Raft RPC on " + bindAddress + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void closeImpl() throws IOException {
        Channel c = listening;
        if (c != null) {
            c.close().syncUninterruptibly();
        }
        accepted.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        super.closeImpl();
    }

    @Override
    public InetSocketAddress getInetSocketAddress() {
        Channel c = listening;
        return c != null ? (InetSocketAddress) c.localAddress() : bindAddress;
    }

    // ---- calls to the other members

    @Override
    public RequestVoteReplyProto requestVote(RequestVoteRequestProto request) throws IOException {
        return RpcErrors.await(call(request.getServerRequest(), RpcKind.REQUEST_VOTE, request, RequestVoteReplyProto.parser()));
    }

    @Override
    public AppendEntriesReplyProto appendEntries(AppendEntriesRequestProto request) throws IOException {
        return RpcErrors.await(call(request.getServerRequest(), RpcKind.APPEND_ENTRIES, request, AppendEntriesReplyProto.parser()));
    }

    @Override
    public InstallSnapshotReplyProto installSnapshot(InstallSnapshotRequestProto request) throws IOException {
        return RpcErrors.await(call(request.getServerRequest(), RpcKind.INSTALL_SNAPSHOT, request, InstallSnapshotReplyProto.parser()));
    }

    @Override
    public StartLeaderElectionReplyProto startLeaderElection(StartLeaderElectionRequestProto request) throws IOException {
        return RpcErrors.await(call(request.getServerRequest(), RpcKind.START_LEADER_ELECTION, request, StartLeaderElectionReplyProto.parser()));
    }

    @Override
    public RaftServerAsynchronousProtocol async() {
        return new RaftServerAsynchronousProtocol() {
            @Override
            public CompletableFuture<AppendEntriesReplyProto> appendEntriesAsync(AppendEntriesRequestProto request) throws IOException {
                return call(request.getServerRequest(), RpcKind.APPEND_ENTRIES, request, AppendEntriesReplyProto.parser());
            }

            @Override
            public CompletableFuture<ReadIndexReplyProto> readIndexAsync(ReadIndexRequestProto request) throws IOException {
                return call(request.getServerRequest(), RpcKind.READ_INDEX, request, ReadIndexReplyProto.parser());
            }
        };
    }

    private <T> CompletableFuture<T> call(RaftRpcRequestProto header, RpcKind kind, MessageLite request, Parser<T> parser) throws IOException {
        RaftPeerId peer = RaftPeerId.valueOf(header.getReplyId());
        return connection(peer).call(kind, request, parser, requestTimeoutMillis).whenComplete((r, e) -> reachability(peer, e));
    }

    /**
     * Logs once when a member stops answering and once when it answers again (Ratis's appender
     * repeats its warning every ten failed calls while a member is down; it is set quiet).
     */
    private void reachability(RaftPeerId peer, Throwable failure) {
        boolean reachable = !RaftRpcConnection.unreachable(failure);
        Boolean before = reachable ? unreachable.remove(peer) : unreachable.putIfAbsent(peer, Boolean.TRUE);
        if (reachable && before != null) {
            LOG.info("Raft member reachable again: member={} peer={}", getId(), peer);
        } else if (!reachable && before == null) {
            LOG.warn("Raft member unreachable: member={} peer={} cause={}", getId(), peer, Failures.unwrap(failure).toString());
        }
    }

    private RaftRpcConnection connection(RaftPeerId peer) throws IOException {
        return RaftRpcConnection.open(getProxies(), peer);
    }


    // ---- calls from peers, clients and admins

    @ChannelHandler.Sharable
    private final class Dispatcher extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            RpcFrames.Header header = RpcFrames.Header.read(frame);
            RpcKind kind;
            try {
                if (header == null || header.status() != RpcFrames.REQUEST) {
                    throw new IllegalArgumentException("not a request frame");
                }
                kind = RpcKind.of(header.kind());
            } catch (IllegalArgumentException e) {
                LOG.debug("Raft RPC connection closed: peer={} cause={}", ctx.channel().remoteAddress(), e.getMessage());
                ctx.close();
                return;
            }
            long id = header.callId();
            CompletableFuture<? extends MessageLite> reply;
            try {
                Role caller = ctx.channel().attr(RpcTls.PEER_ROLE).get();
                if (tls != null) {
                    kind.callers.check(caller, kind);
                }
                reply = dispatch(kind, frame, ctx.channel(), caller);
            } catch (Exception e) {
                if (audit != null && e instanceof PermissionDeniedException) {
                    audit.refused(ctx.channel(), ctx.channel().attr(RpcTls.PEER_ROLE).get(), kind, e);
                }
                reply = CompletableFuture.failedFuture(e);
            }
            Channel channel = ctx.channel();
            reply.whenComplete((r, e) -> {
                if (channel.isActive()) {
                    channel.writeAndFlush(encodeReply(channel, id, kind, r, e), channel.voidPromise());
                }
            });
        }

        private ByteBuf encodeReply(Channel channel, long id, RpcKind kind, MessageLite reply, Throwable error) {
            if (error == null) {
                try {
                    return RpcFrames.encode(channel.alloc(), id, kind, RpcFrames.OK, reply);
                } catch (RuntimeException e) {
                    error = e;
                }
            }
            return RpcFrames.encodeError(channel.alloc(), id, kind, error);
        }

        /** A caller that sends without reading its replies stops being read until they drain. */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("Raft RPC connection closed: peer={} cause={}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /**
     * Parses the request (before the frame is released) and hands it to Ratis; {@code caller}
     * is the checked role of the caller (null without TLS).
     */
    private CompletableFuture<? extends MessageLite> dispatch(RpcKind kind, ByteBuf frame, Channel channel, Role caller) throws IOException {
        if (audit != null && kind != RpcKind.CLIENT_REQUEST && AdminAudit.isAdminCall(kind)) {
            return audit.recorded(call(kind, frame, channel, caller), channel, caller, kind.action);
        }
        if ((audit != null || tls != null) && kind == RpcKind.CLIENT_REQUEST) {
            RaftClientRequestProto request = RpcFrames.parse(RaftClientRequestProto.parser(), frame);
            if (tls != null) {
                Callers.checkCommand(caller, request);
            }
            String action = audit == null ? null : AdminAudit.describe(request);
            CompletableFuture<? extends MessageLite> reply = submit(request);
            return action == null ? reply : audit.recorded(reply, channel, caller, action);
        }
        return call(kind, frame, channel, caller);
    }

    private CompletableFuture<? extends MessageLite> submit(RaftClientRequestProto request) throws IOException {
        return server.submitClientRequestAsync(ClientProtoUtils.toRaftClientRequest(request)).thenApply(ClientProtoUtils::toRaftClientReplyProto);
    }

    private CompletableFuture<? extends MessageLite> call(RpcKind kind, ByteBuf frame, Channel channel, Role caller) throws IOException {
        return switch (kind) {
            case APPEND_ENTRIES -> DurableAppendReplies.append(server, RpcFrames.parse(AppendEntriesRequestProto.parser(), frame),
                    channel.eventLoop(), requestTimeoutMillis);
            case READ_INDEX -> server.readIndexAsync(RpcFrames.parse(ReadIndexRequestProto.parser(), frame));
            case CLIENT_REQUEST -> submit(RpcFrames.parse(RaftClientRequestProto.parser(), frame));
            case REQUEST_VOTE -> blocking(RequestVoteRequestProto.parser(), frame, server::requestVote);
            case INSTALL_SNAPSHOT -> blocking(InstallSnapshotRequestProto.parser(), frame, server::installSnapshot);
            case START_LEADER_ELECTION -> blocking(StartLeaderElectionRequestProto.parser(), frame, server::startLeaderElection);
            case SET_CONFIGURATION -> blocking(SetConfigurationRequestProto.parser(), frame, r -> {
                Callers.checkMembershipChange(caller, r);
                return ClientProtoUtils.toRaftClientReplyProto(server.setConfiguration(ClientProtoUtils.toSetConfigurationRequest(r)));
            });
            case GROUP_MANAGEMENT -> blocking(GroupManagementRequestProto.parser(), frame, r -> ClientProtoUtils.toRaftClientReplyProto(
                    server.groupManagement(ClientProtoUtils.toGroupManagementRequest(r))));
            case TRANSFER_LEADERSHIP -> blocking(TransferLeadershipRequestProto.parser(), frame, r -> ClientProtoUtils.toRaftClientReplyProto(
                    server.transferLeadership(ClientProtoUtils.toTransferLeadershipRequest(r))));
            case SNAPSHOT_MANAGEMENT -> blocking(SnapshotManagementRequestProto.parser(), frame, r -> ClientProtoUtils.toRaftClientReplyProto(
                    server.snapshotManagement(ClientProtoUtils.toSnapshotManagementRequest(r))));
            case LEADER_ELECTION_MANAGEMENT -> blocking(LeaderElectionManagementRequestProto.parser(), frame, r -> ClientProtoUtils.toRaftClientReplyProto(
                    server.leaderElectionManagement(ClientProtoUtils.toLeaderElectionManagementRequest(r))));
            case GROUP_LIST -> blocking(GroupListRequestProto.parser(), frame, r -> ClientProtoUtils.toGroupListReplyProto(
                    server.getGroupList(ClientProtoUtils.toGroupListRequest(r))));
            case GROUP_INFO -> blocking(GroupInfoRequestProto.parser(), frame, r -> ClientProtoUtils.toGroupInfoReplyProto(
                    server.getGroupInfo(ClientProtoUtils.toGroupInfoRequest(r))));
        };
    }

    private interface BlockingCall<P, R> {
        R call(P request) throws IOException;
    }

    /** Parses the request here (the frame is released after this call) and answers it on a virtual thread. */
    private static <P, R> CompletableFuture<R> blocking(Parser<P> parser, ByteBuf frame, BlockingCall<P, R> call) throws IOException {
        P request = RpcFrames.parse(parser, frame);
        CompletableFuture<R> result = new CompletableFuture<>();
        BLOCKING.execute(() -> {
            try {
                result.complete(call.call(request));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
