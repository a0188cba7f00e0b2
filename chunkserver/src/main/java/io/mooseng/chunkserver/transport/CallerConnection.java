package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.transport.proto.ErrorReply;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.net.SocketAddress;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A blocking connection to a chunkserver for the READs of threads that wait for their bytes
 * anyway ({@link io.mooseng.core.chunk.ReadsOnCaller}): the calling thread sends the request and
 * reads the reply itself, with no event loop between. The same hello, TLS and reply checks
 * ({@link ReadCall}) as a {@link ClientConnection}; one call at a time. Used by one thread at a
 * time, taken from its {@link TcpChunkClient}'s idle set and given back.
 */
final class CallerConnection implements CallPeer, AutoCloseable {
    private static final int REQUEST_ID = 1;

    private final String nodeId;
    private final SocketAddress address;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /**
     * What was received and not yet taken, at [{@code start}, {@code end}): room for a frame
     * and a 4 KiB of what follows, so one system call usually brings a reply with a 64 KiB body.
     */
    private final byte[] received = new byte[FrameHeader.BYTES + FrameHeader.MAX_PAYLOAD + 4096];
    private int start;
    private int end;
    private long deadline;
    private long bodyLeft;
    private boolean answered;
    private boolean broken;

    private CallerConnection(String nodeId, SocketAddress address, Socket socket) throws IOException {
        this.nodeId = nodeId;
        this.address = address;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connects, secures (with {@code tls}) and exchanges hellos, each step within {@code connectMillis}.
     *
     * @param tls this process's certificate and the cluster CA, or null for plain TCP
     */
    static CallerConnection open(String nodeId, SocketAddress address, long connectMillis, ClusterTls tls) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(address.host(), address.port()), (int) connectMillis);
            plain.setSoTimeout((int) connectMillis);
            Socket secured = tls == null ? plain : tls.clientSocket(plain, Set.of(Role.CHUNKSERVER));
            CallerConnection c = new CallerConnection(nodeId, address, secured);
            c.out.write(Hello.encode().array(), 0, Hello.BYTES);
            Hello.check(c.take(Hello.BYTES), "a MooseNG chunkserver");
            return c;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /**
     * Runs {@code call} to its end on this thread: complete, or failed by the chunkserver's
     * answer (an ERROR frame, damaged bytes).
     *
     * @throws IOException       the connection failed or timed out (the call is then unfinished)
     * @throws ProtocolViolation the chunkserver broke the protocol (the call is then unfinished)
     */
    void read(ReadCall call) throws IOException {
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(call.timeoutMillis());
        answered = false;
        call.start(REQUEST_ID, 0);
        ByteBuf request = call.requestFrame();
        out.write(request.array(), request.arrayOffset() + request.readerIndex(), request.readableBytes());
        while (!call.result().isDone()) {
            FrameHeader h = FrameHeader.read(take(FrameHeader.BYTES));
            answered = true;
            ByteBuf bytes = take(h.length());
            if (h.type() == FrameType.ERROR) {
                ErrorReply error = Frames.parse(ErrorReply.parser(), h, bytes);
                if (h.requestId() == 0) {
                    throw new ProtocolViolation("it refused the connection: " + error.getMessage());
                }
                call.fail(TransportErrors.fromReply(nodeId, error));
            } else if (h.type() != FrameType.READ_OK || h.requestId() != REQUEST_ID) {
                throw new ProtocolViolation(h.type() + " frame for request " + h.requestId() + " answering a READ");
            } else if (!call.onReply(h, bytes, this)) {
                readBody(call);
            }
        }
    }

    /** The body announced, fed to the call as it comes until it is done (complete, or failed on damaged bytes). */
    private void readBody(ReadCall call) throws IOException {
        boolean done = false;
        while (bodyLeft > 0 && !done) {
            if (start == end) {
                start = 0;
                end = read(received, 0, received.length);
            }
            int n = (int) Math.min(end - start, bodyLeft);
            ByteBuf bytes = Unpooled.wrappedBuffer(received, start, n);
            start += n;
            bodyLeft -= n;
            done = call.onBody(bytes, this);
        }
        // a call failed on damaged bytes leaves the rest of its body unread: nothing more can be read in step
        broken |= bodyLeft > 0;
    }

    /** Whether any byte of the last call's reply came (a kept connection that got none may just be stale). */
    boolean answered() {
        return answered;
    }

    /** Whether the connection is in step for another call. */
    boolean reusable() {
        return !broken && !socket.isClosed();
    }

    @Override
    public void expectBody(int requestId, int length) {
        bodyLeft = Integer.toUnsignedLong(length);
    }

    @Override
    public void sendAside(ByteBuf frame) {
        try {
            out.write(frame.array(), frame.arrayOffset() + frame.readerIndex(), frame.readableBytes());
        } catch (IOException e) {
            // the report is a courtesy: the reader's error stands either way
            broken = true;
        }
    }

    @Override
    public String describe() {
        return "chunkserver " + nodeId + " at " + address;
    }

    /** The next {@code length} bytes (at most a frame), read as needed; valid until the next read. */
    private ByteBuf take(int length) throws IOException {
        if (received.length - start < length) {
            System.arraycopy(received, start, received, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end - start < length) {
            end += read(received, end, received.length - end);
        }
        ByteBuf bytes = Unpooled.wrappedBuffer(received, start, length);
        start += length;
        return bytes;
    }

    /** At least one byte, waiting no later than the call's deadline. */
    private int read(byte[] into, int from, int length) throws IOException {
        if (deadline != 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("no answer in time");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        }
        int n = in.read(into, from, length);
        if (n < 0) {
            throw new EOFException("connection closed");
        }
        return n;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do: the connection is gone either way
        }
    }
}
