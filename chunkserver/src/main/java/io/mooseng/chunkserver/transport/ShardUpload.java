package io.mooseng.chunkserver.transport;

import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.model.ShardId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;

/**
 * A shard arriving in the DATA frames that follow its WRITE frame: collected into one buffer
 * sized from the WRITE frame and paid for by a grant of the receive budget, or skipped
 * byte for byte when the write was refused (its error is already answered). The buffer is
 * pooled direct memory: the store writes it to the file without first copying it out of
 * the heap, as it must for a heap buffer.
 */
final class ShardUpload {
    private final int requestId;
    private final ShardId shard;
    private final int crc32c;
    private final long length;
    /** null while skipping */
    private final ByteBuf bytes;
    private final ByteBudget.Grant grant;
    private long received;

    private ShardUpload(int requestId, ShardId shard, int crc32c, long length, ByteBuf bytes, ByteBudget.Grant grant) {
        this.requestId = requestId;
        this.shard = shard;
        this.crc32c = crc32c;
        this.length = length;
        this.bytes = bytes;
        this.grant = grant;
    }

    /** @param grant at least {@code length} bytes of the receive budget, or null for an empty shard */
    static ShardUpload receiving(int requestId, ShardId shard, int length, int crc32c, ByteBudget.Grant grant,
                                 ByteBufAllocator memory) {
        return new ShardUpload(requestId, shard, crc32c, length, memory.directBuffer(length, length), grant);
    }

    static ShardUpload skipping(int requestId, ShardId shard, long length) {
        return new ShardUpload(requestId, shard, 0, length, null, null);
    }

    int requestId() {
        return requestId;
    }

    ShardId shard() {
        return shard;
    }

    int crc32c() {
        return crc32c;
    }

    boolean skipping() {
        return bytes == null;
    }

    /** @throws ProtocolViolation if the bytes go past the announced length */
    void append(ByteBuf piece) {
        int n = piece.readableBytes();
        if (received + n > length) {
            throw new ProtocolViolation("request " + requestId + " sent more than the " + length + " bytes it announced");
        }
        if (bytes != null) {
            bytes.writeBytes(piece);
        }
        received += n;
    }

    boolean complete() {
        return received == length;
    }

    /** The shard's bytes, once complete; valid until {@link #release}. */
    ByteBuffer data() {
        return bytes.nioBuffer();
    }

    /** Frees the buffer and gives the budget back: once stored, failed, or abandoned. Once. */
    void release() {
        if (bytes != null) {
            bytes.release();
        }
        if (grant != null) {
            grant.close();
        }
    }
}
