package io.mooseng.chunkserver.transport;

import com.google.protobuf.MessageLite;
import io.mooseng.chunkserver.transport.proto.ErrorReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * A blocking socket speaking the shard transport byte by byte, for tests that send what the
 * real client never would (or never reads what it should).
 */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawConnection open(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        return new RawConnection(socket);
    }

    /** Sends a good hello and checks the server's. */
    RawConnection greeted() throws IOException {
        send(Hello.encode());
        Hello.check(Unpooled.wrappedBuffer(bytes(Hello.BYTES)), "the server");
        return this;
    }

    void send(ByteBuf bytes) throws IOException {
        try {
            out.write(ByteBufUtil.getBytes(bytes));
            out.flush();
        } finally {
            bytes.release();
        }
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(FrameType type, int requestId, MessageLite payload) throws IOException {
        send(payload == null ? Frames.empty(type, requestId) : Frames.control(type, requestId, payload));
    }

    /** A frame header as given, unchecked (for malformed ones). */
    void sendHeader(int type, int flags, int requestId, int length) throws IOException {
        send(Unpooled.buffer(FrameHeader.BYTES).writeByte(type).writeByte(flags).writeShort(0).writeInt(requestId).writeInt(length));
    }

    /** DATA frames of at most 64 KiB carrying {@code bytes}. */
    void sendData(int requestId, byte[] bytes) throws IOException {
        for (int from = 0; from < bytes.length; from += FrameHeader.MAX_PAYLOAD) {
            int n = Math.min(FrameHeader.MAX_PAYLOAD, bytes.length - from);
            send(Unpooled.wrappedBuffer(Frames.dataHeader(requestId, n), Unpooled.wrappedBuffer(bytes, from, n)));
        }
    }

    Frame read() throws IOException {
        FrameHeader header = FrameHeader.read(Unpooled.wrappedBuffer(bytes(FrameHeader.BYTES)));
        return new Frame(header, bytes(header.length()));
    }

    byte[] bytes(int n) throws IOException {
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }

    /** Whether the server closes the connection (within the socket timeout), skipping what it still sends. */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // skip
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    record Frame(FrameHeader header, byte[] payload) {
        ErrorReply error() throws IOException {
            if (header.type() != FrameType.ERROR) {
                throw new AssertionError("expected an ERROR frame, got " + header);
            }
            return ErrorReply.parseFrom(payload);
        }
    }
}
