package io.mooseng.metadata.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.LeasedDirectory;

import java.util.UUID;

/** LEASE_CONFLICT, naming the lease in the way, so that the leader can ask its holder for it. */
public final class LeaseConflict extends MooseException {
    private final transient LeasedDirectory dir;
    private final transient UUID holder;

    LeaseConflict(LeasedDirectory dir, UUID holder) {
        super(ErrorCode.LEASE_CONFLICT, dir.bucket() + "/" + dir.dir() + " is leased to another client");
        this.dir = dir;
        this.holder = holder;
    }

    public LeasedDirectory dir() {
        return dir;
    }

    public UUID holder() {
        return holder;
    }
}
