package io.mooseng.metadata.raft;

import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Names of the metadata Raft group and its peers. Servers know every member's id; a client
 * (gateway, chunkserver, FUSE mount) needs nothing but the addresses: it names each peer by
 * an id derived from its address, and Ratis replaces these with the real ids from the first
 * reply that redirects it to the leader (servers do not check the id a request is sent to).
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

    public static RaftPeer peer(RaftMember member, RaftPeerRole role) {
        return RaftPeer.newBuilder().setId(member.id()).setAddress(member.address()).setStartupRole(role).build();
    }

    /** The group as a client addressing it by raft addresses sees it. */
    public static RaftGroup clientGroup(List<String> addresses) {
        return group(addresses.stream().map(RaftMember::of).toList(), List.of());
    }

    public static RaftGroup group(List<RaftMember> voters, List<RaftMember> listeners) {
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("a metadata group needs at least one voting member");
        }
        List<RaftPeer> peers = new ArrayList<>();
        voters.forEach(m -> peers.add(peer(m, RaftPeerRole.FOLLOWER)));
        listeners.forEach(m -> peers.add(peer(m, RaftPeerRole.LISTENER)));
        return RaftGroup.valueOf(GROUP_ID, peers);
    }

    /** The host part of {@code host:port} (brackets of an IPv6 literal removed). */
    public static String host(String address) {
        String host = address.substring(0, address.lastIndexOf(':'));
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    public static int port(String address) {
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
