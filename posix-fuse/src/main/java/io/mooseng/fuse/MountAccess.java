package io.mooseng.fuse;

import java.util.List;

/** Whether the mount's user may do what an operation needs ({@link MountActions}). */
interface MountAccess {
    /** A mount without a key: its certificate is the only check, and it may do everything. */
    MountAccess FULL = checks -> {
    };

    /** @throws io.mooseng.fuse.kernel.FuseException EACCES when any of them is refused */
    void check(List<MountActions.Check> checks);
}
