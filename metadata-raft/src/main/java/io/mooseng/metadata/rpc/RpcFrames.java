package io.mooseng.metadata.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import org.apache.ratis.thirdparty.com.google.protobuf.CodedOutputStream;
import org.apache.ratis.thirdparty.com.google.protobuf.InvalidProtocolBufferException;
import org.apache.ratis.thirdparty.com.google.protobuf.MessageLite;
import org.apache.ratis.thirdparty.com.google.protobuf.Parser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Raft RPC's frames: a 4-byte length, then the call id (8 bytes, chosen by the caller and
 * echoed in the reply), the {@link RpcKind} (1), the {@link #REQUEST}/{@link #OK}/{@link #ERROR}
 * status (1) and the payload: the Ratis protobuf message of the call, or for an error its
 * exception's class name and message (see {@link RpcErrors}).
 */
final class RpcFrames {
    static final byte REQUEST = 0;
    static final byte OK = 1;
    static final byte ERROR = 2;
    /** Header after the length: call id, kind, status. */
    static final int HEADER = 10;
    /**
     * Largest frame either side takes: a batch of log entries, a snapshot chunk or a client's
     * command, with room to spare; a longer length closes the connection.
     */
    static final int MAX_FRAME = 64 << 20;

    private RpcFrames() {
    }

    /** A frame's header; {@link #read} consumes it, leaving the payload. */
    record Header(long callId, byte kind, byte status) {
        /** The header of {@code frame}, or null for a frame too short to have one. */
        static Header read(ByteBuf frame) {
            return frame.readableBytes() < HEADER ? null : new Header(frame.readLong(), frame.readByte(), frame.readByte());
        }
    }

    /** Adds the length-prefix decoder that turns the byte stream into whole frames. */
    static void addDecoder(ChannelPipeline pipeline) {
        pipeline.addLast("frames", new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4));
    }

    static ByteBuf encode(ByteBufAllocator alloc, long callId, RpcKind kind, byte status, MessageLite body) {
        int size = body.getSerializedSize();
        if (size > MAX_FRAME - HEADER) {
            throw new IllegalArgumentException(kind + " message of " + size + " bytes is over the Raft RPC's frame limit of " + MAX_FRAME);
        }
        ByteBuf buf = alloc.buffer(4 + HEADER + size);
        buf.writeInt(HEADER + size).writeLong(callId).writeByte(kind.code).writeByte(status);
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(buf.nioBuffer(buf.writerIndex(), size));
            body.writeTo(out);
            out.flush();
        } catch (IOException e) {
            buf.release();
            throw new UncheckedIOException(e);
        }
        buf.writerIndex(buf.writerIndex() + size);
        return buf;
    }

    static ByteBuf encodeError(ByteBufAllocator alloc, long callId, RpcKind kind, Throwable error) {
        byte[] text = RpcErrors.describe(error).getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = alloc.buffer(4 + HEADER + text.length);
        return buf.writeInt(HEADER + text.length).writeLong(callId).writeByte(kind.code).writeByte(ERROR).writeBytes(text);
    }

    /** Parses the payload left in {@code frame} (copying what the message keeps). */
    static <T> T parse(Parser<T> parser, ByteBuf frame) throws InvalidProtocolBufferException {
        return parser.parseFrom(frame.nioBuffer());
    }

    static String text(ByteBuf frame) {
        return frame.toString(StandardCharsets.UTF_8);
    }
}
