package io.mooseng.metadata.rpc;

import io.mooseng.core.security.Role;
import io.mooseng.metadata.command.CommandCodec;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.proto.RaftProtos.SetConfigurationRequestProto;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who may make each kind of call ({@link RpcKind#callers}), by the role in the caller's
 * certificate, checked by the callee after the TLS handshake (a plaintext RPC checks nothing).
 *
 * <p>Raft between members is for masters only: a metalogger is a Ratis listener, which only
 * receives appendEntries and snapshots from the leader; it never votes or campaigns (Ratis's
 * election timer changes only followers to candidates) and would ask the leader for a read
 * index only to answer a client's read, and no client reads from it (clients know the masters).
 * What it does call: the group's status and one membership change, adding itself as a listener
 * when it starts ({@code mooseng metalogger}).
 */
enum Callers {
    /** Replication, votes, elections, read indexes. */
    MASTERS("only a master may", EnumSet.of(Role.MASTER)),
    /**
     * Commands and queries; also the group's status (members and log positions), which
     * every client learns anyway from the peer list of a "not leader" reply. Not a monitor:
     * commands and queries are access to the namespace, and a scraper needs none.
     */
    PROCESSES("any role but a monitor may", EnumSet.complementOf(EnumSet.of(Role.MONITOR))),
    /** Changes to the group: membership (but see {@link #MEMBERSHIP}), leadership, snapshots, elections. */
    ADMINS("only an admin or a master may", EnumSet.of(Role.ADMIN, Role.MASTER)),
    /** Membership changes: admins and masters; a metalogger only adds listeners ({@link #checkMembershipChange}). */
    MEMBERSHIP("only an admin or a master may; a metalogger may add itself as a listener",
            EnumSet.of(Role.ADMIN, Role.MASTER, Role.METALOGGER));

    private final String who;
    private final Set<Role> roles;

    Callers(String who, Set<Role> roles) {
        this.who = who;
        this.roles = roles;
    }

    /** Refuses a caller whose role (null: none known) may not make a call of {@code kind}. */
    void check(Role caller, RpcKind kind) throws PermissionDeniedException {
        if (caller == null || !roles.contains(caller)) {
            throw new PermissionDeniedException("permission denied: " + (caller == null ? "a caller without a role" : withArticle(caller))
                    + " may not " + kind.action + " (" + who + ")");
        }
    }

    /** A metalogger may add listeners, nothing else: what it does to join at start-up. */
    static void checkMembershipChange(Role caller, SetConfigurationRequestProto change) throws PermissionDeniedException {
        if (caller == Role.METALOGGER
                && (change.getMode() != SetConfigurationRequestProto.Mode.ADD || change.getPeersCount() > 0)) {
            throw new PermissionDeniedException("permission denied: a metalogger may only add listeners to the membership ("
                    + ADMINS.who + " change it otherwise)");
        }
    }

    /**
     * Commands are for any role, but the cluster key's rotation (re-sealing data keys and
     * secrets, registering a new key) only for admins and masters: a gateway or a mount could
     * otherwise swap in a key it chose. Their requests pass unread; another role's writes are
     * scanned for the rotation's tags, batches and held commands included (tags and lengths only).
     */
    static void checkCommand(Role caller, RaftClientRequestProto request) throws PermissionDeniedException {
        if (!request.hasWrite() || (caller != null && ADMINS.roles.contains(caller))) {
            return;
        }
        if (CommandCodec.carriesKeyRotation(request.getMessage().getContent().asReadOnlyByteBuffer())) {
            throw new PermissionDeniedException("permission denied: " + (caller == null ? "a caller without a role" : withArticle(caller))
                    + " may not rotate the cluster key (" + ADMINS.who + ")");
        }
    }

    private static String withArticle(Role role) {
        String label = role.label();
        return ("aeiou".indexOf(label.charAt(0)) >= 0 ? "an " : "a ") + label;
    }
}
