package io.mooseng.core.object;

import io.mooseng.core.memory.LentBytes;

import java.util.concurrent.CompletableFuture;

/**
 * Streams a byte range of an object in order, reading ahead a bounded number of blocks.
 *
 * <p>Contract: one caller at a time; call {@link #read} again only after the previous
 * future completed. Each buffer may be lent by the transport: the caller releases it once it
 * has copied or sent its bytes (a buffer kept unreleased holds pooled memory). A block with
 * lost or corrupt shards is decoded from the survivors; wrong bytes are never returned.
 */
public interface ObjectReader extends AutoCloseable {

    /** The next bytes, or null once the range is exhausted (or the reader closed). */
    CompletableFuture<LentBytes> read();

    /** Releases read-ahead; safe to call at any time, more than once. */
    @Override
    void close();
}
