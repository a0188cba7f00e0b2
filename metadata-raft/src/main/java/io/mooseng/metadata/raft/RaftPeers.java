package io.mooseng.metadata.raft;

import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Names of the metadata Raft group and its peers. A peer's id is derived from its
 * {@code host:port} address so that a client (gateway, FUSE mount) needs nothing but the
 * addresses to build the group: the same address always means the same member.
 */
public final class RaftPeers {
    /** The one metadata group of a cluster. */
    public static final RaftGroupId GROUP_ID =
            RaftGroupId.valueOf(UUID.nameUUIDFromBytes("mooseng-metadata".getBytes(StandardCharsets.UTF_8)));

    private RaftPeers() {
    }

    public static RaftPeerId peerId(String address) {
        return RaftPeerId.valueOf(address.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    public static RaftPeer peer(String address) {
        port(address);
        return RaftPeer.newBuilder().setId(peerId(address)).setAddress(address).build();
    }

    public static RaftGroup group(List<String> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a metadata group needs at least one peer address");
        }
        return RaftGroup.valueOf(GROUP_ID, addresses.stream().map(RaftPeers::peer).toList());
    }

    /** The host part of {@code host:port} (brackets of an IPv6 literal removed). */
    static String host(String address) {
        String host = address.substring(0, address.lastIndexOf(':'));
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static int port(String address) {
        int colon = address.lastIndexOf(':');
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (colon > 0 && port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("raft address must be host:port, got '" + address + "'");
    }
}
