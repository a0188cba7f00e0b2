package io.mooseng.core.crypto;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.object.ObjectReader;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a plaintext range of an encrypted object from a reader of its stored chunks: the
 * stored reader covers whole chunks from {@link ChunkedAead#storedStart} to
 * {@link ChunkedAead#storedEnd} of the range; each is gathered, authenticated and decrypted,
 * and trimmed to the range at both ends.
 */
public final class DecryptingObjectReader implements ObjectReader {
    private final ChunkedAead aead;
    private final ObjectReader stored;
    private final long plainSize;
    private final byte[] chunk = new byte[ChunkedAead.STORED_CHUNK];
    private int fill;
    private long index;
    /** Plaintext bytes of the next chunk to skip (the range starts inside it). */
    private int skip;
    private long remaining;
    private ByteBuffer pending;

    /** @param stored reads the stored bytes from {@code ChunkedAead.storedStart(offset)} to {@code storedEnd(offset + length)} */
    public DecryptingObjectReader(DataKey key, ObjectReader stored, long plainSize, long offset, long length) {
        this.aead = key.aead();
        this.stored = stored;
        this.plainSize = plainSize;
        this.index = offset / ChunkedAead.CHUNK;
        this.skip = (int) (offset % ChunkedAead.CHUNK);
        this.remaining = length;
    }

    @Override
    public synchronized CompletableFuture<ByteBuffer> read() {
        if (remaining == 0) {
            stored.close();
            return CompletableFuture.completedFuture(null);
        }
        int want = ChunkedAead.plainChunkLength(index, plainSize) + ChunkedAead.TAG;
        while (pending != null && pending.hasRemaining()) {
            int n = Math.min(pending.remaining(), want - fill);
            pending.get(chunk, fill, n);
            fill += n;
            if (fill == want) {
                return CompletableFuture.completedFuture(openChunk(want));
            }
        }
        return stored.read().thenCompose(b -> {
            synchronized (this) {
                if (b == null) {
                    throw new MooseException(ErrorCode.SHARD_CORRUPT, "encrypted content ends inside chunk " + index);
                }
                pending = b;
            }
            return read();
        });
    }

    private ByteBuffer openChunk(int storedLength) {
        byte[] plain = aead.open(index++, chunk, 0, storedLength);
        fill = 0;
        int n = (int) Math.min(plain.length - skip, remaining);
        ByteBuffer out = ByteBuffer.wrap(plain, skip, n).slice();
        skip = 0;
        remaining -= n;
        return out;
    }

    @Override
    public synchronized void close() {
        pending = null;
        stored.close();
    }
}
