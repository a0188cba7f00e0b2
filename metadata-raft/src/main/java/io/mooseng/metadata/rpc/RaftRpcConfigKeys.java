package io.mooseng.metadata.rpc;

import io.mooseng.core.security.ClusterTls;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;

import java.net.InetSocketAddress;

/**
 * Settings of the Raft RPC: where a member listens (in its Ratis properties, which are
 * strings) and the TLS identity of a member or client (in Ratis {@link Parameters}, which
 * carry objects to the RPC type's factory, as Ratis's own Netty and gRPC TLS settings do).
 */
public final class RaftRpcConfigKeys {
    static final String HOST = "mooseng.raft.rpc.host";
    static final String PORT = "mooseng.raft.rpc.port";
    static final String TLS = "mooseng.raft.rpc.tls";
    static final String AUDIT = "mooseng.raft.rpc.audit";

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

    /** Parameters that make the RPC speak mutual TLS with {@code tls}; plaintext when it is null. */
    public static Parameters withTls(ClusterTls tls) {
        Parameters p = new Parameters();
        if (tls != null) {
            p.put(TLS, tls, ClusterTls.class);
        }
        return p;
    }

    /** Adds a member's admin audit trail to {@code p}. */
    public static Parameters withAudit(Parameters p, AdminAudit audit) {
        if (audit != null) {
            p.put(AUDIT, audit, AdminAudit.class);
        }
        return p;
    }

    static AdminAudit audit(Parameters p) {
        return p == null ? null : p.get(AUDIT, AdminAudit.class);
    }

    /** The TLS identity in {@code p}, or null (plaintext). */
    static ClusterTls tls(Parameters p) {
        return p == null ? null : p.get(TLS, ClusterTls.class);
    }
}
