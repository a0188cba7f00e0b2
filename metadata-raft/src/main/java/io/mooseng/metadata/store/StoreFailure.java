package io.mooseng.metadata.store;

/**
 * RocksDB itself failed (I/O error, corruption). Unlike a {@link io.mooseng.core.error.MooseException}
 * this is not an outcome of a command: the replica cannot go on applying the log.
 */
public final class StoreFailure extends RuntimeException {
    StoreFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
