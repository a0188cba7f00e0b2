package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.transport.proto.ErrorReply;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.netty.buffer.ByteBuf;
import io.vertx.core.net.SocketAddress;

/**
 * The one mapping of failures onto the wire and back. A call that fails on the server is
 * answered by an ERROR frame carrying its {@link ErrorCode} name and message, so the client
 * rethrows it with the same code; whatever else goes wrong on the way (no connection, a
 * closed one, no answer in time, a peer breaking the protocol) is INTERNAL on the client,
 * naming the chunkserver and its address.
 */
final class TransportErrors {
    /** Longest message carried; a frame payload is at most 64 KiB. */
    private static final int MAX_MESSAGE_CHARS = 16 * 1024;

    private TransportErrors() {
    }

    /** Server side: the ERROR frame answering request {@code requestId} (0: the connection). */
    static ByteBuf frame(int requestId, Throwable failure) {
        MooseException e = failure instanceof ProtocolViolation
                ? new MooseException(ErrorCode.INVALID_ARGUMENT, failure.getMessage())
                : MooseException.of(failure);
        String message = String.valueOf(e.getMessage());
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
        }
        return Frames.control(FrameType.ERROR, requestId,
                ErrorReply.newBuilder().setCode(e.code().name()).setMessage(message).build());
    }

    /** Client side: the error an ERROR frame from chunkserver {@code nodeId} stands for. */
    static MooseException fromReply(String nodeId, ErrorReply reply) {
        try {
            return new MooseException(ErrorCode.valueOf(reply.getCode()), reply.getMessage());
        } catch (IllegalArgumentException e) {
            return new MooseException(ErrorCode.INTERNAL, "chunkserver " + nodeId + " answered error "
                    + reply.getCode() + ": " + reply.getMessage());
        }
    }

    /** Client side: the connection could not be made, or broke. */
    static MooseException unreachable(String nodeId, SocketAddress address, Throwable cause) {
        return new MooseException(ErrorCode.INTERNAL, "chunkserver " + nodeId + " unreachable at " + address + ": " + cause, cause);
    }

    /** Client side: the connection is gone, for the reason given. */
    static MooseException unreachable(String nodeId, SocketAddress address, String why) {
        return new MooseException(ErrorCode.INTERNAL, "chunkserver " + nodeId + " unreachable at " + address + ": " + why);
    }

    /** Client side: no answer before the call's deadline. */
    static MooseException timedOut(String nodeId, SocketAddress address, long millis) {
        return new MooseException(ErrorCode.INTERNAL, "chunkserver " + nodeId + " at " + address
                + " did not answer within " + millis + " ms");
    }

    /** Client side: the chunkserver sent something the protocol does not allow, or refused the connection. */
    static MooseException broken(String nodeId, SocketAddress address, String what) {
        return new MooseException(ErrorCode.INTERNAL, "chunkserver " + nodeId + " at " + address
                + " broke the shard transport: " + what);
    }
}
