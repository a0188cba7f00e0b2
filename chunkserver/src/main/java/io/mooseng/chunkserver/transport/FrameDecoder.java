package io.mooseng.chunkserver.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayDeque;

/**
 * Cuts what one connection receives into the peer's hello and then frames. Control frames
 * are handed over whole; bodies (the payloads of DATA frames, the raw bytes after a READ
 * reply) are handed over in the pieces they arrive in, so that shard bytes are copied once,
 * from the socket's buffers to wherever the receiver keeps them.
 *
 * <p>The handler may {@link #pause} decoding from inside a callback: the rest of the input
 * is kept until {@link #resume}. Bytes handed to a callback are valid only during the call.
 * Event-loop confined; owns (and releases) every buffer fed to it.
 */
final class FrameDecoder {
    /** What the decoder finds, in order. */
    interface Handler {
        /** The peer's {@link Hello#BYTES}-byte hello. */
        void onHello(ByteBuf hello);

        /** A frame other than DATA, with its whole payload. */
        void onFrame(FrameHeader header, ByteBuf payload);

        /** The next bytes of the body of request {@code requestId}. */
        void onBody(int requestId, ByteBuf bytes);
    }

    private enum State { HELLO, HEADER, PAYLOAD, BODY }

    private final Handler handler;
    private final boolean dataFrames;
    private final ArrayDeque<ByteBuf> input = new ArrayDeque<>();
    /** A hello or header arriving in pieces. */
    private final ByteBuf fixed = Unpooled.buffer(FrameHeader.BYTES);
    /** A control payload arriving in pieces, or null. */
    private ByteBuf partial;
    private State state = State.HELLO;
    private FrameHeader header;
    private int bodyRequest;
    private long bodyLeft;
    private boolean paused;
    private boolean decoding;
    private boolean closed;

    /** @param dataFrames whether DATA frames may come (only chunkservers receive them) */
    FrameDecoder(Handler handler, boolean dataFrames) {
        this.handler = handler;
        this.dataFrames = dataFrames;
    }

    /**
     * Decodes {@code bytes} (taking ownership) as far as not paused.
     *
     * @throws ProtocolViolation if the input is malformed; a handler's exceptions pass through
     */
    void feed(ByteBuf bytes) {
        if (closed) {
            bytes.release();
            return;
        }
        input.add(bytes);
        decode();
    }

    /** Stops decoding after the current callback; input is kept. */
    void pause() {
        paused = true;
    }

    /** Continues with the input kept, unless called from inside a callback (then the loop goes on by itself). */
    void resume() {
        paused = false;
        decode();
    }

    /**
     * The next {@code length} bytes after the current frame are the body of {@code requestId}
     * (a READ reply's). Call from {@link Handler#onFrame}.
     */
    void expectBody(int requestId, long length) {
        if (length > 0) {
            bodyRequest = requestId;
            bodyLeft = length;
            state = State.BODY;
        }
    }

    /** Releases the input kept; later input is dropped. */
    void close() {
        closed = true;
        input.forEach(ByteBuf::release);
        input.clear();
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }

    private void decode() {
        if (decoding) {
            return;
        }
        decoding = true;
        try {
            while (!paused && !closed && !input.isEmpty()) {
                ByteBuf in = input.peek();
                if (in.isReadable()) {
                    step(in);
                } else {
                    input.poll().release();
                }
            }
        } finally {
            decoding = false;
        }
    }

    private void step(ByteBuf in) {
        switch (state) {
            case HELLO -> {
                if (fill(in, Hello.BYTES)) {
                    state = State.HEADER;
                    handler.onHello(fixed);
                    fixed.clear();
                }
            }
            case HEADER -> {
                if (fill(in, FrameHeader.BYTES)) {
                    header = FrameHeader.read(fixed);
                    fixed.clear();
                    if (header.type() == FrameType.DATA) {
                        if (!dataFrames) {
                            throw new ProtocolViolation("DATA frames go to chunkservers only");
                        }
                        expectBody(header.requestId(), header.length());
                    } else if (header.length() == 0) {
                        deliver(Unpooled.EMPTY_BUFFER);
                    } else {
                        state = State.PAYLOAD;
                    }
                }
            }
            case PAYLOAD -> payload(in);
            case BODY -> {
                int n = (int) Math.min(bodyLeft, in.readableBytes());
                bodyLeft -= n;
                if (bodyLeft == 0) {
                    state = State.HEADER;
                }
                handler.onBody(bodyRequest, in.readSlice(n));
            }
        }
    }

    /** Moves bytes into {@link #fixed} until it holds {@code size}; @return whether it does */
    private boolean fill(ByteBuf in, int size) {
        in.readBytes(fixed, Math.min(size - fixed.readableBytes(), in.readableBytes()));
        return fixed.readableBytes() == size;
    }

    private void payload(ByteBuf in) {
        int length = header.length();
        if (partial == null && in.readableBytes() >= length) {
            deliver(in.readSlice(length));
            return;
        }
        if (partial == null) {
            partial = Unpooled.buffer(length);
        }
        in.readBytes(partial, Math.min(length - partial.readableBytes(), in.readableBytes()));
        if (partial.readableBytes() == length) {
            ByteBuf whole = partial;
            partial = null;
            try {
                deliver(whole);
            } finally {
                whole.release();
            }
        }
    }

    private void deliver(ByteBuf payload) {
        state = State.HEADER;
        handler.onFrame(header, payload);
    }
}
