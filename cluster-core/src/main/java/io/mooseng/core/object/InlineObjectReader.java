package io.mooseng.core.object;

import io.mooseng.core.memory.LentBytes;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** Serves a range of content that lives in metadata: one buffer, then the end. */
final class InlineObjectReader implements ObjectReader {
    private ByteBuffer remaining;

    InlineObjectReader(byte[] content, long offset, long length) {
        this.remaining = ByteBuffer.wrap(content, (int) offset, (int) length).slice().asReadOnlyBuffer();
    }

    @Override
    public synchronized CompletableFuture<LentBytes> read() {
        ByteBuffer b = remaining;
        remaining = null;
        return CompletableFuture.completedFuture(b == null ? null : LentBytes.owned(b));
    }

    @Override
    public synchronized void close() {
        remaining = null;
    }
}
