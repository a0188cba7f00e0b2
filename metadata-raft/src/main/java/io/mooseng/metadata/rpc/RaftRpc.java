package io.mooseng.metadata.rpc;

import io.mooseng.core.security.ClusterTls;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.ClientFactory;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerRpc;
import org.apache.ratis.server.ServerFactory;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;

/**
 * MooseNG's Raft RPC as a Ratis RPC type: length-prefixed protobuf frames over one TCP
 * connection per pair of processes, answered out of order by call id (see
 * docs/ARCHITECTURE.md, "Raft RPC"). Ratis finds it by class name, so
 * {@link #use(RaftProperties)} is all a server or client sets; a TLS identity travels in the
 * Ratis {@link Parameters} of the server or client ({@link RaftRpcConfigKeys#withTls}).
 */
public final class RaftRpc implements RpcType {
    public RaftRpc() {
        // Ratis instantiates the type from its name
    }

    /** Makes {@code p} select this RPC type. */
    public static void use(RaftProperties p) {
        RaftConfigKeys.Rpc.setType(p, new RaftRpc());
    }

    /** A Ratis client of {@code group} over this RPC, with the settings of {@code p}; TLS unless {@code tls} is null. */
    public static RaftClient newClient(RaftGroup group, RaftProperties p, RetryPolicy retry, ClusterTls tls) {
        use(p);
        return RaftClient.newBuilder().setProperties(p).setParameters(RaftRpcConfigKeys.withTls(tls)).setRaftGroup(group)
                .setRetryPolicy(retry).build();
    }

    @Override
    public String name() {
        return RaftRpc.class.getName();
    }

    @Override
    public RpcFactory newFactory(Parameters parameters) {
        return new Factory(this, RaftRpcConfigKeys.tls(parameters), RaftRpcConfigKeys.audit(parameters));
    }

    /** Makes the member's and the client's side of the RPC, plaintext when {@code tls} is null. */
    private record Factory(RaftRpc type, ClusterTls tls, AdminAudit audit) implements ServerFactory, ClientFactory {
        @Override
        public RpcType getRpcType() {
            return type;
        }

        @Override
        public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
            return new PipelinedLogAppender(server, state, follower);
        }

        @Override
        public RaftServerRpc newRaftServerRpc(RaftServer server) {
            return new RaftRpcServer(server, type, tls, audit);
        }

        @Override
        public RaftClientRpc newRaftClientRpc(ClientId clientId, RaftProperties properties) {
            return new RaftRpcClient(clientId, properties, tls);
        }
    }
}
