package io.mooseng.metadata.rpc;

import org.apache.ratis.conf.RaftProperties;

import java.net.InetSocketAddress;

/** Where a member's Raft RPC listens, in its Ratis properties. */
public final class RaftRpcConfigKeys {
    static final String HOST = "mooseng.raft.rpc.host";
    static final String PORT = "mooseng.raft.rpc.port";

    private RaftRpcConfigKeys() {
    }

    public static void setBindAddress(RaftProperties p, String host, int port) {
        p.set(HOST, host);
        p.setInt(PORT, port);
    }

    static InetSocketAddress bindAddress(RaftProperties p) {
        String host = p.get(HOST);
        int port = p.getInt(PORT, 0);
        return host == null || host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }
}
