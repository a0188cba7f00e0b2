package io.mooseng.s3.handler;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.nio.ByteBuffer;

/** Zero-copy views between Vert.x buffers and NIO buffers. */
final class Buffers {
    private Buffers() {
    }

    /** The buffer's bytes as an NIO view (one copy only if Netty holds them in several pieces). */
    static ByteBuffer nio(Buffer buffer) {
        return ((BufferInternal) buffer).getByteBuf().nioBuffer();
    }

    /** Wraps without copying; the caller must not change {@code data} afterwards. */
    static Buffer wrap(ByteBuffer data) {
        return BufferInternal.buffer(Unpooled.wrappedBuffer(data));
    }
}
