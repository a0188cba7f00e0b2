package io.mooseng.chunkserver.transport;

import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.vertx.core.internal.net.NetSocketInternal;

import java.util.concurrent.CompletableFuture;

/**
 * A call of a {@link TcpChunkClient}: its request frame, what it makes of the reply frames
 * of its request id, and its outcome. Confined to its connection's event loop once submitted.
 */
abstract class ShardCall<T> implements Outgoing {
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final FrameType type;
    private final MessageLite request;
    private final long timeoutMillis;
    private int requestId;
    private long timer;

    /** @param request the payload, or null for an empty one */
    ShardCall(FrameType type, MessageLite request, long timeoutMillis) {
        this.type = type;
        this.request = request;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * A reply frame of this call's reply type.
     *
     * @return whether the call is complete; if not, more frames or a body follow
     * @throws ProtocolViolation if the reply makes no sense
     */
    abstract boolean onReply(FrameHeader header, ByteBuf payload, CallPeer connection);

    /** The next bytes of the body this call asked the decoder for; @return whether the call is complete */
    boolean onBody(ByteBuf bytes, CallPeer connection) {
        throw new ProtocolViolation("body bytes for a " + type + " request");
    }

    @Override
    public boolean send(NetSocketInternal socket) {
        socket.writeMessage(requestFrame());
        return true;
    }

    /** The request frame, once {@link #start started}. */
    ByteBuf requestFrame() {
        return request == null ? Frames.empty(type, requestId) : Frames.control(type, requestId, request);
    }

    @Override
    public void drop() {
    }

    /** Whether the transport may still read the caller's memory, so the connection must close before the call may fail. */
    boolean holdsCallerBytes() {
        return false;
    }

    void complete(T value) {
        result.complete(value);
    }

    void fail(Throwable failure) {
        result.completeExceptionally(failure);
    }

    CompletableFuture<T> result() {
        return result;
    }

    FrameType type() {
        return type;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    int requestId() {
        return requestId;
    }

    long timer() {
        return timer;
    }

    /** Set by the connection when it takes the call on. */
    void start(int id, long timerId) {
        this.requestId = id;
        this.timer = timerId;
    }
}
