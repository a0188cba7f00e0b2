package io.mooseng.chunkserver.transport;

import com.google.protobuf.MessageLite;
import io.mooseng.chunkserver.store.ShardRange;
import io.mooseng.chunkserver.transport.proto.CorruptShardReport;
import io.mooseng.chunkserver.transport.proto.DeleteShardRequest;
import io.mooseng.chunkserver.transport.proto.ReadShardReply;
import io.mooseng.chunkserver.transport.proto.ReadShardRequest;
import io.mooseng.chunkserver.transport.proto.RebuildShardRequest;
import io.mooseng.chunkserver.transport.proto.WriteShardRequest;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.security.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.FileRegion;
import io.netty.channel.MessageSizeEstimator;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.BiConsumer;

/**
 * One client connection of the shard transport server: decodes its requests, runs them
 * (many at once, each answered when done under its request id) and writes the replies.
 *
 * <p>Flow control: the connection stops reading while a shard or a short read waits for memory,
 * while {@value #MAX_IN_FLIGHT} calls run, or while its write queue is full (a client that
 * does not read its replies cannot make the server buffer them); what the client sends
 * meanwhile waits in TCP. Malformed input is answered by an ERROR frame with request id 0
 * and the connection is closed.
 *
 * <p>Roles: on a TLS connection every request is checked against the client's role
 * ({@link ShardCallRoles}); a refused one is answered PERMISSION_DENIED (a refused WRITE's DATA
 * frames are skipped) and the connection goes on serving what the role may do.
 *
 * <p>Event-loop confined: everything runs on the connection's context.
 */
final class ServerConnection implements FrameDecoder.Handler {
    private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);
    /** Calls one connection may have running (replies included) before it stops reading. */
    static final int MAX_IN_FLIGHT = 64;
    /** How long a shard may wait for receive memory before it is refused with SLOW_DOWN. */
    private static final Duration RECEIVE_WAIT = Duration.ofSeconds(10);
    /** A READ body's chunks under TLS: a frame payload's size, four TLS records each. */
    private static final int TLS_CHUNK_BYTES = 64 * 1024;
    /**
     * Counts a file region's bytes as pending output. Netty counts it as 0 bytes, so a queue of
     * sendfile replies would never make the write queue full and reading would never stop.
     */
    private static final MessageSizeEstimator.Handle PENDING_BYTES = new MessageSizeEstimator.Handle() {
        private final MessageSizeEstimator.Handle others = DefaultMessageSizeEstimator.DEFAULT.newHandle();

        @Override
        public int size(Object message) {
            return message instanceof FileRegion region ? (int) Math.min(region.count(), Integer.MAX_VALUE) : others.size(message);
        }
    };

    private final NetSocketInternal socket;
    private final Context context;
    private final ShardCalls calls;
    private final ByteBudget budget;
    private final int maxShardBytes;
    /** The client's role by its certificate; null on a plain TCP connection (anything goes). */
    private final Role peer;
    private final FrameDecoder decoder = new FrameDecoder(this, true);
    private final ArrayDeque<Runnable> drainWaiters = new ArrayDeque<>();
    /** The shard whose DATA frames are arriving, or null. */
    private ShardUpload upload;
    private int inFlight;
    private boolean helloAnswered;
    private boolean waitingForMemory;
    private boolean reading = true;
    private boolean closed;

    /** @param peer the client's role (TLS), or null */
    ServerConnection(NetSocketInternal socket, ShardCalls calls, ByteBudget budget, int maxShardBytes, Role peer) {
        this.socket = socket;
        this.context = Vertx.currentContext();
        this.calls = calls;
        this.budget = budget;
        this.maxShardBytes = maxShardBytes;
        this.peer = peer;
    }

    void start() {
        socket.channelHandlerContext().channel().config().setMessageSizeEstimator(() -> PENDING_BYTES);
        // raw Netty buffers: the data handler would copy each into a new heap buffer first
        socket.messageHandler(message -> {
            if (message instanceof ByteBuf bytes) {
                guarded(() -> decoder.feed(bytes));
            } else {
                ReferenceCountUtil.release(message);
            }
        });
        socket.drainHandler(v -> drained());
        socket.closeHandler(v -> shutDown());
        socket.exceptionHandler(e -> log.debug("shard transport connection failed: peer={} cause={}",
                socket.remoteAddress(), e.toString()));
    }

    @Override
    public void onHello(ByteBuf hello) {
        Hello.check(hello, "a MooseNG shard transport client");
        answerHello();
    }

    @Override
    public void onFrame(FrameHeader header, ByteBuf payload) {
        int id = header.requestId();
        if (upload != null) {
            throw new ProtocolViolation(header.type() + " frame of request " + id + " inside the data of request "
                    + upload.requestId());
        }
        if (!ShardCallRoles.allows(header.type(), peer)) {
            deny(header, payload);
            return;
        }
        switch (header.type()) {
            case WRITE -> write(id, Frames.parse(WriteShardRequest.parser(), header, payload));
            case READ -> read(id, Frames.parse(ReadShardRequest.parser(), header, payload));
            case DELETE -> answer(id, FrameType.DELETE_OK, calls.delete(Frames.parse(DeleteShardRequest.parser(), header, payload)));
            case STATS -> answer(id, FrameType.STATS_OK, calls.stats());
            case LIST -> {
                begin();
                new InventoryStream(this, id, calls).start().onComplete(v -> end());
            }
            case REBUILD -> answer(id, FrameType.REBUILD_OK,
                    calls.rebuild(Frames.parse(RebuildShardRequest.parser(), header, payload)));
            case CORRUPT -> {
                begin();
                calls.checkReported(Frames.parse(CorruptShardReport.parser(), header, payload)).onComplete(v -> end());
            }
            default -> throw new ProtocolViolation("a client does not send " + header.type() + " frames");
        }
    }

    @Override
    public void onBody(int requestId, ByteBuf bytes) {
        if (upload == null) {
            throw new ProtocolViolation("DATA frame of request " + requestId + ", which announced no shard");
        }
        if (upload.requestId() != requestId) {
            throw new ProtocolViolation("DATA frame of request " + requestId + " inside the data of request "
                    + upload.requestId());
        }
        upload.append(bytes);
        if (upload.complete()) {
            store();
        }
    }

    /** Answers a call the client's role may not make; the connection stays for the calls it may. */
    private void deny(FrameHeader header, ByteBuf payload) {
        MooseException refused = ShardCallRoles.refusal(header.type(), peer);
        log.warn("shard transport call refused: peer={} reason={}", socket.remoteAddress(), refused.getMessage());
        int id = header.requestId();
        switch (header.type()) {
            case WRITE -> {
                WriteShardRequest request = Frames.parse(WriteShardRequest.parser(), header, payload);
                begin();
                refuse(id, ShardMessages.fromKey(request.getId()), Integer.toUnsignedLong(request.getLength()), refused);
            }
            case CORRUPT -> {
                // never answered
            }
            default -> send(TransportErrors.frame(id, refused));
        }
    }

    private void write(int id, WriteShardRequest request) {
        ShardId shard = ShardMessages.fromKey(request.getId());
        long length = Integer.toUnsignedLong(request.getLength());
        begin();
        if (length > maxShardBytes) {
            refuse(id, shard, length, new MooseException(ErrorCode.INVALID_ARGUMENT, "shard " + shard + " of " + length
                    + " bytes exceeds the largest this chunkserver takes (" + maxShardBytes + " bytes)"));
            return;
        }
        withMemory(length, (grant, failure) -> {
            if (failure != null) {
                refuse(id, shard, length, failure);
            } else {
                receive(ShardUpload.receiving(id, shard, (int) length, request.getCrc32C(), grant, memory()));
            }
        });
    }

    /**
     * Runs {@code then} with a grant of {@code bytes} of the budget (null for 0 bytes), or with
     * the SLOW_DOWN refusal after {@link #RECEIVE_WAIT}. While it waits, nothing more is read
     * from this client (what it sends waits in TCP); a connection closed meanwhile gives the
     * grant back and runs nothing.
     */
    private void withMemory(long bytes, BiConsumer<ByteBudget.Grant, Throwable> then) {
        ByteBudget.Grant grant = bytes == 0 ? null : budget.tryAcquire(bytes);
        if (grant != null || bytes == 0) {
            then.accept(grant, null);
            return;
        }
        waitingForMemory = true;
        updateReading();
        budget.acquire(bytes, RECEIVE_WAIT).whenComplete((granted, failure) -> context.runOnContext(v -> {
            waitingForMemory = false;
            if (closed) {
                release(granted);
                return;
            }
            then.accept(granted, failure);
            updateReading();
        }));
    }

    /** Answers the write's error now and skips its DATA frames as they come. */
    private void refuse(int id, ShardId shard, long length, Throwable failure) {
        send(TransportErrors.frame(id, failure));
        receive(ShardUpload.skipping(id, shard, length));
    }

    private void receive(ShardUpload shard) {
        upload = shard;
        if (shard.complete()) {
            store();
        }
    }

    /** The shard is complete: store it (answered once durable) and give its memory back. */
    private void store() {
        ShardUpload done = upload;
        upload = null;
        if (done.skipping()) {
            end();
            return;
        }
        calls.write(done.shard(), done.data(), done.crc32c()).onComplete(stored -> {
            done.release();
            send(stored.succeeded() ? Frames.empty(FrameType.WRITE_OK, done.requestId())
                    : TransportErrors.frame(done.requestId(), stored.cause()));
            end();
        });
    }

    private ByteBufAllocator memory() {
        return socket.channelHandlerContext().alloc();
    }

    /** A short range read into memory holds a grant of the budget until its reply is written, as a received shard does. */
    private void read(int id, ReadShardRequest request) {
        begin();
        withMemory(ShardCalls.memoryFor(request), (grant, failure) -> {
            if (failure != null) {
                send(TransportErrors.frame(id, failure));
                end();
                return;
            }
            RangeBuffer memory = new RangeBuffer(memory());
            calls.read(request, memory).onComplete(located -> {
                if (located.failed()) {
                    release(grant);
                    send(TransportErrors.frame(id, located.cause()));
                } else {
                    sendRange(id, located.result(), memory, grant);
                }
                end();
            });
        });
    }

    /**
     * The READ reply and then the range's bytes, straight from the file: sendfile where the OS has
     * it; on TLS (which must encrypt every byte) as {@value #TLS_CHUNK_BYTES}-byte chunks read into
     * pooled buffers by the connection's ChunkedWriteHandler, as the socket takes them. A short
     * range comes read into {@code memory} already; its {@code grant} is given back once written.
     */
    private void sendRange(int id, ShardRange range, RangeBuffer memory, ByteBudget.Grant grant) {
        Object body;
        try {
            body = range.bytes() != null ? memory.take(range.length())
                    : closed || range.length() == 0 ? null : body(range);
        } catch (IOException e) {
            release(grant);
            closeQuietly(range);
            send(TransportErrors.frame(id, e));
            return;
        }
        ReadShardReply.Builder reply = ReadShardReply.newBuilder()
                .setOffset(range.offset())
                .setLength(range.length())
                .setShardLength(range.shardLength())
                .setShardCrc32C(range.shardCrc());
        for (int crc : range.pieceCrcs()) {
            reply.addPieceCrc32C(crc);
        }
        // the body follows its READ_OK at once, nothing between (see write)
        write(Frames.control(FrameType.READ_OK, id, reply.build()));
        if (body == null) {
            release(grant);
            closeQuietly(range);
            return;
        }
        // the body owns the range's channel from here and closes it once written (or released unwritten). Never
        // close it on the write's outcome: a write queued behind a full socket may be reported before Netty transfers
        // the file, and a channel closed under the transfer cut the body short, the next frame read as its bytes
        socket.writeMessage(body).onComplete(written -> {
            release(grant);
            if (written.failed()) {
                closeQuietly(range);
            }
        });
    }

    /** A file region (sendfile) on plain TCP; on TLS a chunked file, which its handler closes after the last chunk. */
    private Object body(ShardRange range) throws IOException {
        return peer == null ? new DefaultFileRegion(range.file(), range.position(), range.length())
                : new ChunkedNioFile(range.file(), range.position(), range.length(), TLS_CHUNK_BYTES);
    }

    /** Answers with the outcome's message, or an empty reply when it has none (Void). */
    private void answer(int id, FrameType type, Future<?> outcome) {
        begin();
        outcome.onComplete(done -> {
            if (done.failed()) {
                send(TransportErrors.frame(id, done.cause()));
            } else {
                send(done.result() instanceof MessageLite reply ? Frames.control(type, id, reply) : Frames.empty(type, id));
            }
            end();
        });
    }

    /** Writes a frame, unless the connection is gone. */
    void send(ByteBuf frame) {
        if (write(frame)) {
            updateReading();
        }
    }

    /**
     * Writes a frame without resuming reading: resuming decodes what the client sent meanwhile at
     * once, and a READ answered from the page cache there would write its reply between a
     * READ_OK and the range's bytes that must follow it.
     *
     * @return false if the connection is closed (the frame is released)
     */
    private boolean write(ByteBuf frame) {
        if (closed) {
            frame.release();
            return false;
        }
        socket.writeMessage(frame);
        return true;
    }

    /** Runs {@code then} once the write queue has room (at once if it has). */
    void whenWritable(Runnable then) {
        if (closed) {
            return;
        }
        if (socket.writeQueueFull()) {
            drainWaiters.add(then);
        } else {
            then.run();
        }
    }

    boolean isOpen() {
        return !closed;
    }

    private void drained() {
        while (!drainWaiters.isEmpty() && !socket.writeQueueFull()) {
            drainWaiters.poll().run();
        }
        updateReading();
    }

    private void begin() {
        inFlight++;
        updateReading();
    }

    private void end() {
        inFlight--;
        updateReading();
    }

    /** Reads while nothing holds it back (see the class comment); resumes with the input the decoder kept. */
    private void updateReading() {
        boolean read = !closed && !waitingForMemory && inFlight < MAX_IN_FLIGHT && !socket.writeQueueFull();
        if (read == reading) {
            return;
        }
        reading = read;
        if (read) {
            socket.resume();
            guarded(decoder::resume);
        } else {
            decoder.pause();
            socket.pause();
        }
    }

    /** Runs decoding, turning what the client got wrong into an ERROR frame and a closed connection. */
    private void guarded(Runnable decoding) {
        try {
            decoding.run();
        } catch (ProtocolViolation e) {
            log.warn("shard transport connection refused: peer={} reason={}", socket.remoteAddress(), e.getMessage());
            close(e);
        } catch (RuntimeException | Error e) {
            // whatever it was, the connection is no longer in step with the client
            log.warn("shard transport connection failed: peer={}", socket.remoteAddress(), e);
            close(e);
        }
    }

    private void close(Throwable cause) {
        if (closed) {
            return;
        }
        answerHello();
        socket.writeMessage(TransportErrors.frame(0, cause));
        shutDown();
        socket.close();
    }

    private void answerHello() {
        if (!helloAnswered) {
            helloAnswered = true;
            socket.writeMessage(Hello.encode());
        }
    }

    /** Stops everything on this connection; a shard still arriving is dropped, nothing of it stored. */
    private void shutDown() {
        if (closed) {
            return;
        }
        closed = true;
        decoder.close();
        drainWaiters.clear();
        if (upload != null) {
            log.debug("connection closed inside a shard, not stored: peer={} shard={}", socket.remoteAddress(), upload.shard());
            upload.release();
            upload = null;
        }
    }

    private static void release(ByteBudget.Grant grant) {
        if (grant != null) {
            grant.close();
        }
    }

    private static void closeQuietly(ShardRange range) {
        try {
            range.close();
        } catch (IOException e) {
            log.debug("closing a sent range failed", e);
        }
    }
}
