package io.mooseng.chunkserver.transport;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Encodes frames ({@link FrameHeader} + payload) and parses control payloads. */
final class Frames {
    private Frames() {
    }

    /** A frame with an empty payload. */
    static ByteBuf empty(FrameType type, int requestId) {
        ByteBuf frame = Unpooled.buffer(FrameHeader.BYTES);
        FrameHeader.write(frame, type, 0, requestId, 0);
        return frame;
    }

    static ByteBuf control(FrameType type, int requestId, MessageLite payload) {
        return control(type, 0, requestId, payload);
    }

    /** A control frame, in one heap buffer. */
    static ByteBuf control(FrameType type, int flags, int requestId, MessageLite payload) {
        int length = payload.getSerializedSize();
        if (length > FrameHeader.MAX_PAYLOAD) {
            throw new IllegalArgumentException(type + " payload of " + length + " bytes exceeds a frame's "
                    + FrameHeader.MAX_PAYLOAD);
        }
        ByteBuf frame = Unpooled.buffer(FrameHeader.BYTES + length);
        FrameHeader.write(frame, type, flags, requestId, length);
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(frame.array(), frame.arrayOffset() + frame.writerIndex(), length);
            payload.writeTo(out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return frame.writerIndex(frame.writerIndex() + length);
    }

    /**
     * The header of a DATA frame of {@code length} (1 to {@link FrameHeader#MAX_PAYLOAD}) bytes.
     * The payload is written after it as a buffer of its own: in one composite buffer with the
     * header, Netty would first merge both into a new heap array before copying them out.
     */
    static ByteBuf dataHeader(int requestId, int length) {
        ByteBuf header = Unpooled.buffer(FrameHeader.BYTES);
        FrameHeader.write(header, FrameType.DATA, 0, requestId, length);
        return header;
    }

    /** @throws ProtocolViolation if the payload is not a {@code T} */
    static <T> T parse(Parser<T> parser, FrameHeader header, ByteBuf payload) {
        try {
            return parser.parseFrom(payload.nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            throw new ProtocolViolation("malformed payload of " + header.type() + " frame (request " + header.requestId()
                    + "): " + e.getMessage());
        }
    }
}
