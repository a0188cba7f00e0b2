package io.mooseng.metadata.rpc;

import java.io.IOException;

/**
 * A member refused a call of the Raft RPC: the role in the caller's certificate may not make
 * it. The message says who may; retrying does not help.
 */
public final class PermissionDeniedException extends IOException {
    public PermissionDeniedException(String message) {
        super(message);
    }
}
