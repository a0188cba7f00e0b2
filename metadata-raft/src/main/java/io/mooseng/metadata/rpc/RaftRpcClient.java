package io.mooseng.metadata.rpc;

import io.mooseng.core.security.ClusterTls;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.impl.ClientProtoUtils;
import org.apache.ratis.client.impl.RaftClientRpcWithProxy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.GroupInfoReplyProto;
import org.apache.ratis.proto.RaftProtos.GroupListReplyProto;
import org.apache.ratis.proto.RaftProtos.RaftClientReplyProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoRequest;
import org.apache.ratis.protocol.GroupListRequest;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.LeaderElectionManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.util.PeerProxyMap;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A Ratis client's side of the Raft RPC. Ordered and unordered requests travel alike: the
 * member hands each request to Ratis in arrival order, and the Ratis client's sliding window
 * orders what must be ordered.
 */
final class RaftRpcClient extends RaftClientRpcWithProxy<RaftRpcConnection> {
    private final long requestTimeoutMillis;

    /** With mutual TLS unless {@code tls} is null. */
    RaftRpcClient(ClientId id, RaftProperties p, ClusterTls tls) {
        super(new PeerProxyMap<>(id.toString(), peer -> new RaftRpcConnection(clientAddress(peer),
                RaftClientConfigKeys.Rpc.requestTimeout(p).toLong(TimeUnit.MILLISECONDS), tls)));
        this.requestTimeoutMillis = RaftClientConfigKeys.Rpc.requestTimeout(p).toLong(TimeUnit.MILLISECONDS);
    }

    private static String clientAddress(RaftPeer peer) {
        String a = peer.getClientAddress();
        return a == null || a.isEmpty() ? peer.getAddress() : a;
    }

    @Override
    public CompletableFuture<RaftClientReply> sendRequestAsync(RaftClientRequest request) {
        try {
            RaftRpcConnection c = connection(request.getServerId());
            if (request instanceof GroupListRequest r) {
                return c.call(RpcKind.GROUP_LIST, ClientProtoUtils.toGroupListRequestProto(r), GroupListReplyProto.parser(), requestTimeoutMillis)
                        .thenApply(ClientProtoUtils::toGroupListReply);
            }
            if (request instanceof GroupInfoRequest r) {
                return c.call(RpcKind.GROUP_INFO, ClientProtoUtils.toGroupInfoRequestProto(r), GroupInfoReplyProto.parser(), requestTimeoutMillis)
                        .thenApply(ClientProtoUtils::toGroupInfoReply);
            }
            CompletableFuture<RaftClientReplyProto> reply = switch (request) {
                case SetConfigurationRequest r -> c.call(RpcKind.SET_CONFIGURATION, ClientProtoUtils.toSetConfigurationRequestProto(r), RaftClientReplyProto.parser(), requestTimeoutMillis);
                case GroupManagementRequest r -> c.call(RpcKind.GROUP_MANAGEMENT, ClientProtoUtils.toGroupManagementRequestProto(r), RaftClientReplyProto.parser(), requestTimeoutMillis);
                case TransferLeadershipRequest r -> c.call(RpcKind.TRANSFER_LEADERSHIP, ClientProtoUtils.toTransferLeadershipRequestProto(r), RaftClientReplyProto.parser(), requestTimeoutMillis);
                case SnapshotManagementRequest r -> c.call(RpcKind.SNAPSHOT_MANAGEMENT, ClientProtoUtils.toSnapshotManagementRequestProto(r), RaftClientReplyProto.parser(), requestTimeoutMillis);
                case LeaderElectionManagementRequest r -> c.call(RpcKind.LEADER_ELECTION_MANAGEMENT, ClientProtoUtils.toLeaderElectionManagementRequestProto(r), RaftClientReplyProto.parser(), requestTimeoutMillis);
                default -> c.call(RpcKind.CLIENT_REQUEST, ClientProtoUtils.toRaftClientRequestProto(request), RaftClientReplyProto.parser(), requestTimeoutMillis);
            };
            return reply.thenApply(RaftRpcClient::redirect);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A reply saying "not the leader" or "leader not ready" becomes the failure the Ratis client
     * redirects or retries on (as its own transports deliver it).
     */
    private static RaftClientReply redirect(RaftClientReplyProto proto) {
        RaftClientReply reply = ClientProtoUtils.toRaftClientReply(proto);
        if (reply.getNotLeaderException() != null) {
            throw new CompletionException(reply.getNotLeaderException());
        }
        if (reply.getLeaderNotReadyException() != null) {
            throw new CompletionException(reply.getLeaderNotReadyException());
        }
        return reply;
    }

    @Override
    public CompletableFuture<RaftClientReply> sendRequestAsyncUnordered(RaftClientRequest request) {
        return sendRequestAsync(request);
    }

    @Override
    public RaftClientReply sendRequest(RaftClientRequest request) throws IOException {
        return RpcErrors.await(sendRequestAsync(request));
    }

    private RaftRpcConnection connection(RaftPeerId peer) throws IOException {
        return RaftRpcConnection.open(getProxies(), peer);
    }
}
