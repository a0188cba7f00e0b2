package io.mooseng.core.object;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Streams a byte range of an object in order, reading ahead a bounded number of blocks.
 *
 * <p>Contract: one caller at a time; call {@link #read} again only after the previous
 * future completed. Each buffer is the caller's to keep. A block with lost or corrupt
 * shards is decoded from the survivors; wrong bytes are never returned.
 */
public interface ObjectReader extends AutoCloseable {

    /** The next bytes, or null once the range is exhausted. */
    CompletableFuture<ByteBuffer> read();

    /** Releases read-ahead; safe to call at any time, more than once. */
    @Override
    void close();
}
