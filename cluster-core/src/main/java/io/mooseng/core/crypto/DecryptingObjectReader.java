package io.mooseng.core.crypto;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.object.ObjectReader;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a plaintext range of an encrypted object from a reader of its stored chunks: the
 * stored reader covers whole chunks from {@link ChunkLayout#storedStart} to
 * {@link ChunkLayout#storedEnd} of the range; each is gathered, authenticated and decrypted
 * under the index the layout gives it, and trimmed to the range at both ends.
 */
public final class DecryptingObjectReader implements ObjectReader {
    private final ChunkedAead aead;
    private final ObjectReader stored;
    private final ChunkLayout.Cursor cursor;
    private final byte[] chunk = new byte[ChunkedAead.STORED_CHUNK];
    private int fill;
    /** Plaintext bytes of the next chunk to skip (the range starts inside it). */
    private int skip;
    private long remaining;
    /** Stored bytes read and not yet gathered into {@link #chunk}, or null. */
    private LentBytes pending;

    /** @param stored reads the stored bytes from {@code layout.storedStart(offset)} to {@code storedEnd(offset + length)} */
    public DecryptingObjectReader(DataKey key, ChunkLayout layout, ObjectReader stored, long offset, long length) {
        this.aead = key.aead();
        this.stored = stored;
        this.cursor = layout.cursorAt(offset);
        this.skip = cursor.skip;
        this.remaining = length;
    }

    @Override
    public synchronized CompletableFuture<LentBytes> read() {
        if (remaining == 0) {
            stored.close();
            return CompletableFuture.completedFuture(null);
        }
        int want = cursor.plainLength() + ChunkedAead.TAG;
        while (pending != null) {
            ByteBuffer b = pending.bytes();
            int n = Math.min(b.remaining(), want - fill);
            b.get(chunk, fill, n);
            fill += n;
            if (!b.hasRemaining()) {
                releasePending();
            }
            if (fill == want) {
                return CompletableFuture.completedFuture(LentBytes.owned(openChunk(want)));
            }
        }
        return stored.read().thenCompose(b -> {
            synchronized (this) {
                if (b == null) {
                    throw new MooseException(ErrorCode.SHARD_CORRUPT, "encrypted content ends inside chunk " + cursor.index());
                }
                pending = b;
            }
            return read();
        });
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    private ByteBuffer openChunk(int storedLength) {
        byte[] plain = aead.open(cursor.index(), chunk, 0, storedLength);
        cursor.next();
        fill = 0;
        int n = (int) Math.min(plain.length - skip, remaining);
        ByteBuffer out = ByteBuffer.wrap(plain, skip, n).slice();
        skip = 0;
        remaining -= n;
        return out;
    }

    @Override
    public synchronized void close() {
        releasePending();
        stored.close();
    }
}
