package io.mooseng.metadata.raft;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An HTTP/2 connection that sends no request: the client preface, then only the
 * acknowledgements the protocol requires (SETTINGS, PING), so a gRPC server keeps it open as
 * an idle client. Its one use is {@link #awaitClose()}: it returns when the peer's process
 * closes the connection or exits.
 */
final class IdleHttp2Connection implements AutoCloseable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SETTINGS = 0x4;
    private static final int PING = 0x6;
    private static final int ACK = 0x1;
    /** Frames larger than this (a server's default maximum is 16 KiB) end the watch. */
    private static final int MAX_FRAME = 1 << 20;

    private final Socket socket;
    private volatile boolean closedLocally;

    private IdleHttp2Connection(Socket socket) {
        this.socket = socket;
    }

    static IdleHttp2Connection open(InetSocketAddress address, Duration connectTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) connectTimeout.toMillis());
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(PREFACE);
            writeFrame(out, SETTINGS, 0, new byte[0]);
            return new IdleHttp2Connection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Reads and answers frames until the connection ends, for whatever reason. */
    void awaitClose() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] header = new byte[9];
            while (true) {
                in.readFully(header);
                int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | header[2] & 0xff;
                int type = header[3] & 0xff;
                int flags = header[4] & 0xff;
                if (length > MAX_FRAME) {
                    throw new EOFException("frame of " + length + " bytes");
                }
                byte[] payload = in.readNBytes(length);
                if (payload.length < length) {
                    throw new EOFException();
                }
                if ((type == SETTINGS || type == PING) && (flags & ACK) == 0) {
                    writeFrame(out, type, ACK, type == PING ? payload : new byte[0]);
                }
            }
        } catch (IOException e) {
            close0();
        }
    }

    private static void writeFrame(OutputStream out, int type, int flags, byte[] payload) throws IOException {
        byte[] frame = new byte[9 + payload.length];
        frame[0] = (byte) (payload.length >>> 16);
        frame[1] = (byte) (payload.length >>> 8);
        frame[2] = (byte) payload.length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        System.arraycopy(payload, 0, frame, 9, payload.length); // stream 0: connection-level frames only
        synchronized (out) {
            out.write(frame);
            out.flush();
        }
    }

    /** Whether {@link #close()} ended the connection (rather than the peer). */
    boolean closedLocally() {
        return closedLocally;
    }

    @Override
    public void close() {
        closedLocally = true;
        close0();
    }

    private void close0() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
