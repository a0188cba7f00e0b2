package io.mooseng.core.object;

import io.mooseng.core.model.ObjectChecksum;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Streams an object's content into blocks on chunkservers and commits it to metadata.
 *
 * <p>Contract: one caller at a time. {@link #write} copies the buffer before it returns
 * (the caller may reuse it at once); its future completes when the writer can take more,
 * so a caller that waits for it is paced by the chunkservers (backpressure). Nothing is
 * visible in the namespace before {@link #complete} succeeds; {@link #abort} (or a failed
 * complete) deletes every shard written.
 */
public interface ObjectWriter<T> {

    CompletableFuture<Void> write(ByteBuffer data);

    /**
     * Flushes the last block and commits.
     *
     * @param expectedMd5 the client's Content-MD5 (16 bytes) or null; on mismatch fails with
     *                    BAD_DIGEST and stores nothing
     */
    default CompletableFuture<T> complete(byte[] expectedMd5) {
        return complete(expectedMd5, null);
    }

    /**
     * As {@link #complete(byte[])}, keeping {@code checksum} with the content.
     *
     * @param checksum the content's S3 checksum, verified by the caller as the content streamed in (null for none)
     */
    CompletableFuture<T> complete(byte[] expectedMd5, ObjectChecksum checksum);

    CompletableFuture<Void> abort();

    /** Bytes accepted so far. */
    long bytesWritten();
}
