package io.mooseng.chunkserver.transport;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.security.Role;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The role table of the shard transport, call by call. */
class ShardCallRolesTest {
    private static final Set<Role> DATA_PATH = EnumSet.of(Role.MASTER, Role.GATEWAY, Role.MOUNT, Role.CHUNKSERVER);

    @Test
    void eachCallIsAllowedToItsRolesOnly() {
        Map<FrameType, Set<Role>> table = Map.of(
                FrameType.WRITE, DATA_PATH,
                FrameType.READ, DATA_PATH,
                FrameType.CORRUPT, DATA_PATH,
                FrameType.DELETE, EnumSet.of(Role.MASTER),
                FrameType.LIST, EnumSet.of(Role.MASTER),
                FrameType.REBUILD, EnumSet.of(Role.MASTER),
                FrameType.STATS, EnumSet.of(Role.MASTER, Role.ADMIN));
        table.forEach((call, allowed) -> {
            for (Role role : Role.values()) {
                assertEquals(allowed.contains(role), ShardCallRoles.allows(call, role), call + " from " + role);
            }
            assertTrue(ShardCallRoles.allows(call, null), call + " on plain TCP");
        });
    }

    @Test
    void aRefusalSaysWhoMayNotDoWhat() {
        MooseException e = ShardCallRoles.refusal(FrameType.DELETE, Role.GATEWAY);
        assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
        assertEquals("a gateway may not delete shards (allowed: master)", e.getMessage());
        assertEquals("an admin may not order shard rebuilds (allowed: master)", ShardCallRoles.refusal(FrameType.REBUILD, Role.ADMIN).getMessage());
    }

    @Test
    void aReplyIsLeftToTheProtocolCheck() {
        assertTrue(ShardCallRoles.allows(FrameType.WRITE_OK, Role.GATEWAY));
    }
}
