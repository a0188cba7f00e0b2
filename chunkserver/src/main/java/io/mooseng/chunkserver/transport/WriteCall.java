package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.transport.proto.WriteShardRequest;
import io.mooseng.core.model.ShardId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;

import java.nio.ByteBuffer;

/**
 * WRITE: the WRITE frame, then the shard as DATA frames of up to 64 KiB wrapped around the
 * caller's buffer (no copy into new arrays), as fast as the socket's write queue takes
 * them. The caller's bytes may be read until the last frame is written, so the outcome is
 * held back until then (the reply can come first when the chunkserver refuses the shard).
 */
final class WriteCall extends ShardCall<Void> {
    private final ByteBuffer data;
    private boolean started;
    private int sent;
    private boolean released;
    private Runnable outcome;

    WriteCall(ShardId id, ByteBuffer data, int crc32c, long timeoutMillis) {
        super(FrameType.WRITE, WriteShardRequest.newBuilder().setId(ShardMessages.toKey(id))
                .setLength(data.remaining()).setCrc32C(crc32c).build(), timeoutMillis);
        this.data = data.slice();
    }

    @Override
    public boolean send(NetSocketInternal socket) {
        if (!started) {
            started = true;
            super.send(socket);
        }
        Future<Void> last = null;
        while (sent < data.limit() && !socket.writeQueueFull()) {
            int n = Math.min(FrameHeader.MAX_PAYLOAD, data.limit() - sent);
            socket.writeMessage(Frames.dataHeader(requestId(), n));
            last = socket.writeMessage(Unpooled.wrappedBuffer(data.slice(sent, n)));
            sent += n;
        }
        if (sent < data.limit()) {
            return false;
        }
        // frames are written in order: once the last is, the transport holds none of the caller's bytes
        if (last == null) {
            release();
        } else {
            last.onComplete(written -> release());
        }
        return true;
    }

    @Override
    public void drop() {
        release();
    }

    @Override
    boolean holdsCallerBytes() {
        return started && !released;
    }

    @Override
    boolean onReply(FrameHeader header, ByteBuf payload, CallPeer connection) {
        complete(null);
        return true;
    }

    @Override
    void complete(Void value) {
        settle(() -> super.complete(value));
    }

    @Override
    void fail(Throwable failure) {
        settle(() -> super.fail(failure));
    }

    /**
     * The first outcome counts; it is delivered once the caller's bytes are let go, at once if
     * none was ever sent (a call failed before it reached a socket, as on a connection that
     * closed while the call was on its way to it).
     */
    private void settle(Runnable result) {
        if (outcome != null) {
            return;
        }
        outcome = result;
        if (released || !started) {
            released = true;
            result.run();
        }
    }

    private void release() {
        if (!released) {
            released = true;
            if (outcome != null) {
                outcome.run();
            }
        }
    }
}
