package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.transport.proto.ReadShardReply;
import io.mooseng.chunkserver.transport.proto.ReadShardRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decoder finds the same frames and body bytes however the stream is cut into reads. */
class FrameDecoderTest {
    private static final byte[] SHARD = new byte[FrameHeader.MAX_PAYLOAD + 100];
    private static final byte[] BODY = new byte[3000];
    private static final ReadShardRequest REQUEST = ReadShardRequest.newBuilder().setOffset(5).setLength(6).build();
    private static final ReadShardReply REPLY = ReadShardReply.newBuilder().setLength(BODY.length).build();

    static {
        new SplittableRandom(1).nextBytes(SHARD);
        new SplittableRandom(2).nextBytes(BODY);
    }

    /** Records what it is handed; answers READ_OK frames by expecting their body, as a client does. */
    private static final class Recorder implements FrameDecoder.Handler {
        /** Hello and frames; body bytes, which arrive in pieces that depend on the cuts, go to bodies. */
        final List<String> events = new ArrayList<>();
        final ByteBuf bodies = Unpooled.buffer();
        FrameDecoder decoder;
        boolean pauseOnFrame;

        @Override
        public void onHello(ByteBuf hello) {
            Hello.check(hello, "a test peer");
            events.add("hello");
        }

        @Override
        public void onFrame(FrameHeader header, ByteBuf payload) {
            events.add(header.type() + "#" + header.requestId() + ":" + ByteBufUtil.hexDump(payload));
            if (header.type() == FrameType.READ_OK) {
                decoder.expectBody(header.requestId(), BODY.length);
            }
            if (pauseOnFrame) {
                decoder.pause();
            }
        }

        @Override
        public void onBody(int requestId, ByteBuf bytes) {
            bodies.writeBytes(bytes);
        }
    }

    private static ByteBuf stream() {
        return Unpooled.wrappedBuffer(
                Hello.encode(),
                Frames.control(FrameType.READ, 1, REQUEST),
                Frames.dataHeader(2, FrameHeader.MAX_PAYLOAD),
                Unpooled.wrappedBuffer(SHARD, 0, FrameHeader.MAX_PAYLOAD),
                Frames.dataHeader(2, 100),
                Unpooled.wrappedBuffer(SHARD, FrameHeader.MAX_PAYLOAD, 100),
                Frames.control(FrameType.READ_OK, 3, REPLY),
                Unpooled.wrappedBuffer(BODY),
                Frames.empty(FrameType.STATS, 4));
    }

    private static Recorder decode(ByteBuf stream, SplittableRandom cuts, int maxCut) {
        Recorder recorder = new Recorder();
        FrameDecoder decoder = new FrameDecoder(recorder, true);
        recorder.decoder = decoder;
        while (stream.isReadable()) {
            int n = Math.min(stream.readableBytes(), 1 + cuts.nextInt(maxCut));
            decoder.feed(stream.readRetainedSlice(n));
        }
        stream.release();
        return recorder;
    }

    @Test
    void cutsDoNotMatter() {
        Recorder whole = decode(stream(), new SplittableRandom(0), Integer.MAX_VALUE - 1);
        assertEquals(List.of("hello", "READ#1:" + ByteBufUtil.hexDump(REQUEST.toByteArray()),
                "READ_OK#3:" + ByteBufUtil.hexDump(REPLY.toByteArray()), "STATS#4:"), whole.events);
        ByteBuf expectedBodies = Unpooled.wrappedBuffer(SHARD, BODY);
        assertEquals(expectedBodies, whole.bodies);
        for (int maxCut : new int[] {1, 7, 12, 13, 4096}) {
            Recorder cut = decode(stream(), new SplittableRandom(maxCut), maxCut);
            assertEquals(whole.events, cut.events, "cuts of up to " + maxCut);
            assertEquals(expectedBodies, cut.bodies, "cuts of up to " + maxCut);
        }
    }

    @Test
    void pausingKeepsTheRestUntilResumed() {
        Recorder recorder = new Recorder();
        FrameDecoder decoder = new FrameDecoder(recorder, true);
        recorder.decoder = decoder;
        recorder.pauseOnFrame = true;
        decoder.feed(stream());
        assertEquals(2, recorder.events.size(), "stops after the first frame");
        decoder.resume();
        assertEquals(3, recorder.events.size());
        assertEquals(SHARD.length, recorder.bodies.readableBytes(), "a body is not a frame: no pause inside it");
        decoder.resume();
        decoder.resume();
        assertEquals(4, recorder.events.size());
        assertEquals(SHARD.length + BODY.length, recorder.bodies.readableBytes());
    }

    @Test
    void malformedInputIsAProtocolViolation() {
        FrameDecoder garbage = new FrameDecoder(new Recorder(), true);
        assertTrue(assertThrows(ProtocolViolation.class,
                () -> garbage.feed(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", java.nio.charset.StandardCharsets.US_ASCII)))
                .getMessage().contains("GET / HT"));

        Recorder recorder = new Recorder();
        FrameDecoder decoder = new FrameDecoder(recorder, true);
        recorder.decoder = decoder;
        decoder.feed(Hello.encode());
        ByteBuf tooLong = Unpooled.buffer();
        FrameHeader.write(tooLong, FrameType.READ, 0, 1, FrameHeader.MAX_PAYLOAD + 1);
        assertThrows(ProtocolViolation.class, () -> decoder.feed(tooLong));

        FrameDecoder client = new FrameDecoder(new Recorder(), false);
        client.feed(Hello.encode());
        assertThrows(ProtocolViolation.class, () -> client.feed(Frames.dataHeader(1, 10)));
    }
}
