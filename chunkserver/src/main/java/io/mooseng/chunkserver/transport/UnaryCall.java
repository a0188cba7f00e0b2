package io.mooseng.chunkserver.transport;

import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;

import java.util.function.BiFunction;

/** A call answered by one frame: DELETE, STATS, REBUILD. */
final class UnaryCall<T> extends ShardCall<T> {
    private final BiFunction<FrameHeader, ByteBuf, T> answer;

    /** @param answer the result from the reply frame */
    UnaryCall(FrameType type, MessageLite request, long timeoutMillis, BiFunction<FrameHeader, ByteBuf, T> answer) {
        super(type, request, timeoutMillis);
        this.answer = answer;
    }

    @Override
    boolean onReply(FrameHeader header, ByteBuf payload, CallPeer connection) {
        complete(answer.apply(header, payload));
        return true;
    }
}
