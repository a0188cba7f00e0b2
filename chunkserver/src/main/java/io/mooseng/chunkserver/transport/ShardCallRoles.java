package io.mooseng.chunkserver.transport;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.security.Role;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may make each call of the shard transport, by the role in the caller's certificate
 * (mutual TLS); on a plain TCP connection there is no role and every call is allowed. The
 * chunkserver checks each request frame against this table, and clients ask it what their own
 * role may do ({@link ChunkClientPool#mayDelete()}).
 *
 * <p>Data calls come from every process on the data path: gateways and mounts, masters
 * (re-coding, multisite sync, a repair's confirming read) and chunkservers (a rebuild reads its
 * survivors from peers). What destroys or moves data, and the inventory, is the masters' alone:
 * they decide what is garbage and where shards belong.
 */
final class ShardCallRoles {
    private record Rule(Set<Role> roles, String action) {
    }

    private static final Set<Role> DATA_PATH = EnumSet.of(Role.MASTER, Role.GATEWAY, Role.MOUNT, Role.CHUNKSERVER);
    private static final Set<Role> MASTERS = EnumSet.of(Role.MASTER);
    private static final Map<FrameType, Rule> RULES = new EnumMap<>(FrameType.class);

    static {
        RULES.put(FrameType.WRITE, new Rule(DATA_PATH, "write shards"));
        RULES.put(FrameType.READ, new Rule(DATA_PATH, "read shards"));
        // a reader reports the bytes it was sent: whoever may read
        RULES.put(FrameType.CORRUPT, new Rule(DATA_PATH, "report corrupt shards"));
        RULES.put(FrameType.DELETE, new Rule(MASTERS, "delete shards"));
        RULES.put(FrameType.LIST, new Rule(MASTERS, "list a chunkserver's shards"));
        RULES.put(FrameType.REBUILD, new Rule(MASTERS, "order shard rebuilds"));
        // usage: the masters learn it from heartbeats; an operator's tool may ask directly
        RULES.put(FrameType.STATS, new Rule(EnumSet.of(Role.MASTER, Role.ADMIN), "read a chunkserver's usage"));
    }

    private ShardCallRoles() {
    }

    /**
     * Whether a caller of role {@code caller} (null: no TLS, no role) may make request {@code call};
     * true for a frame that is no call (a reply), which the connection refuses as a protocol violation.
     */
    static boolean allows(FrameType call, Role caller) {
        Rule rule = RULES.get(call);
        return caller == null || rule == null || rule.roles().contains(caller);
    }

    /** The PERMISSION_DENIED a refused call is answered with, e.g. "a gateway may not delete shards". */
    static MooseException refusal(FrameType call, Role caller) {
        Rule rule = rule(call);
        return new MooseException(ErrorCode.PERMISSION_DENIED, article(caller) + " " + caller.label() + " may not " + rule.action()
                + " (allowed: " + rule.roles().stream().map(Role::label).collect(Collectors.joining(", ")) + ")");
    }

    private static Rule rule(FrameType call) {
        Rule rule = RULES.get(call);
        if (rule == null) {
            throw new IllegalArgumentException(call + " is not a call");
        }
        return rule;
    }

    private static String article(Role role) {
        return role == Role.ADMIN ? "an" : "a";
    }
}
