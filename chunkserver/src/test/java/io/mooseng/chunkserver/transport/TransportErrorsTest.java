package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.transport.proto.ErrorReply;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportErrorsTest {

    @Test
    void everyCodeSurvivesTheRoundTrip() throws IOException {
        for (ErrorCode code : ErrorCode.values()) {
            ErrorReply sent = errorOf(7, TransportErrors.frame(7, new MooseException(code, "details: with a colon")));
            MooseException received = TransportErrors.fromReply("cs-1", sent);
            assertEquals(code, received.code());
            assertEquals("details: with a colon", received.getMessage());
        }
    }

    @Test
    void unknownFailuresAreInternalAndProtocolViolationsInvalidArgument() throws IOException {
        assertEquals(ErrorCode.INTERNAL.name(), errorOf(1, TransportErrors.frame(1, new IOException("disk on fire"))).getCode());
        assertEquals(ErrorCode.INVALID_ARGUMENT.name(), errorOf(0, TransportErrors.frame(0, new ProtocolViolation("bad"))).getCode());
        MooseException foreign = TransportErrors.fromReply("cs-1", ErrorReply.newBuilder().setCode("TEAPOT").setMessage("no").build());
        assertEquals(ErrorCode.INTERNAL, foreign.code());
        assertTrue(foreign.getMessage().contains("cs-1"), foreign.getMessage());
    }

    @Test
    void aLongMessageIsCutToFitAFrame() throws IOException {
        ErrorReply reply = errorOf(3, TransportErrors.frame(3, new MooseException(ErrorCode.DATA_UNAVAILABLE, "x".repeat(200_000))));
        assertTrue(reply.getMessage().length() < FrameHeader.MAX_PAYLOAD, "length " + reply.getMessage().length());
    }

    private static ErrorReply errorOf(int requestId, ByteBuf frame) throws IOException {
        try {
            FrameHeader header = FrameHeader.read(frame);
            assertEquals(FrameType.ERROR, header.type());
            assertEquals(requestId, header.requestId());
            assertEquals(header.length(), frame.readableBytes());
            return ErrorReply.parseFrom(frame.nioBuffer());
        } finally {
            frame.release();
        }
    }
}
