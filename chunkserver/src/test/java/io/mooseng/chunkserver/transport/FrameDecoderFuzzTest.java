package io.mooseng.chunkserver.transport;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.mooseng.chunkserver.transport.proto.CorruptShardReport;
import io.mooseng.chunkserver.transport.proto.DeleteShardReply;
import io.mooseng.chunkserver.transport.proto.DeleteShardRequest;
import io.mooseng.chunkserver.transport.proto.ErrorReply;
import io.mooseng.chunkserver.transport.proto.ListShardsReply;
import io.mooseng.chunkserver.transport.proto.ListedShard;
import io.mooseng.chunkserver.transport.proto.ReadShardReply;
import io.mooseng.chunkserver.transport.proto.ReadShardRequest;
import io.mooseng.chunkserver.transport.proto.RebuildShardRequest;
import io.mooseng.chunkserver.transport.proto.ShardKey;
import io.mooseng.chunkserver.transport.proto.StatsReply;
import io.mooseng.chunkserver.transport.proto.WriteShardRequest;
import io.mooseng.core.fuzz.Fuzz;
import io.mooseng.core.fuzz.Mutations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shard transport's decoder, as a chunkserver (requests, DATA frames) and as a client
 * (replies, READ bodies) use it, each frame's payload parsed as they parse it. Properties:
 * any stream decodes or fails with a {@link ProtocolViolation}, never another exception; a
 * valid stream cut at any one place yields exactly the frames encoded (encode then decode is
 * the identity); decoding allocates at most one frame's payload beyond what it is fed; every
 * buffer fed is released once the decoder is closed.
 */
class FrameDecoderFuzzTest {
    private static final List<String> DICTIONARY = List.of("MNGS", "\u0000\u0001\u0000\u0000", "\u0000\u0001\u0000\u0000\u0000\u0000",
            "\u0001", "\u0002", "\u0003", "\u0081", "\u0083", "\u0086", "\u00ff", "\u0000\u0000\u0000\u0000", "\u0000\u0001\u0000\u0000");
    private static final FrameType[] REQUESTS = {FrameType.WRITE, FrameType.READ, FrameType.DELETE, FrameType.STATS, FrameType.LIST,
            FrameType.REBUILD, FrameType.CORRUPT};
    private static final FrameType[] REPLIES = {FrameType.WRITE_OK, FrameType.READ_OK, FrameType.DELETE_OK, FrameType.STATS_OK,
            FrameType.LIST_BATCH, FrameType.REBUILD_OK, FrameType.ERROR};

    /** A stream as one side sends it, and what the other side's decoder should report. */
    private record Stream(byte[] bytes, List<String> frames, byte[] bodies, boolean toServer) {
    }

    /** Parses each frame's payload as the receiving side does and records what it got. */
    private static final class Receiver implements FrameDecoder.Handler {
        final List<String> frames = new ArrayList<>();
        final ByteArrayOutputStream bodies = new ByteArrayOutputStream();
        FrameDecoder decoder;

        @Override
        public void onHello(ByteBuf hello) {
            Hello.check(hello, "a fuzzed peer");
        }

        @Override
        public void onFrame(FrameHeader header, ByteBuf payload) {
            Parser<? extends MessageLite> parser = parser(header.type());
            if (parser != null) {
                MessageLite message = Frames.parse(parser, header, payload);
                if (message instanceof ReadShardReply reply) {
                    decoder.expectBody(header.requestId(), Integer.toUnsignedLong(reply.getLength()));
                }
            }
            frames.add(header.type() + "/" + header.flags() + "#" + header.requestId() + ":" + ByteBufUtil.hexDump(payload));
        }

        @Override
        public void onBody(int requestId, ByteBuf bytes) {
            byte[] b = ByteBufUtil.getBytes(bytes);
            bodies.writeBytes(b);
        }
    }

    /** Loads and initialises what decoding touches (protobuf, exceptions), which would count as allocation in the first trials. */
    @BeforeAll
    static void warmUp() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            decodeOrViolation(r, Mutations.mutate(r, stream(r).bytes(), DICTIONARY), r.nextBoolean());
        }
    }

    @Test
    void validStreamsDecodeToTheirFramesWhereverCut() {
        Fuzz.check("frames valid", 60, r -> {
            Stream stream = stream(r);
            for (int cut = 0; cut <= stream.bytes().length; cut++) {
                Receiver got = decode(stream.bytes(), stream.toServer(), List.of(cut));
                assertEquals(stream.frames(), got.frames, "cut at " + cut);
                assertEquals(ByteBufUtil.hexDump(stream.bodies()), ByteBufUtil.hexDump(got.bodies.toByteArray()), "cut at " + cut);
            }
        });
    }

    @Test
    void mutatedStreamsDecodeOrAreProtocolViolations() {
        Fuzz.check("frames mutated", 3000, r -> {
            Stream stream = stream(r);
            byte[] mutated = Mutations.mutate(r, stream.bytes(), DICTIONARY);
            assertBoundedAllocation(decodeOrViolation(r, mutated, stream.toServer()), mutated);
        });
    }

    @Test
    void randomBytesAreProtocolViolations() {
        Fuzz.check("frames random", 3000, r -> {
            byte[] junk = Mutations.randomBytes(r, 200);
            if (r.nextBoolean() && junk.length >= Hello.BYTES) {
                System.arraycopy(ByteBufUtil.getBytes(Hello.encode()), 0, junk, 0, Hello.BYTES); // past the hello, into the frames
            }
            assertBoundedAllocation(decodeOrViolation(r, junk, r.nextBoolean()), junk);
        });
    }

    /** One frame's payload buffered at most, plus what grows with the input (slices, parsed messages, the copies made here). */
    private static void assertBoundedAllocation(long allocated, byte[] input) {
        assertTrue(allocated < FrameHeader.MAX_PAYLOAD + 128 * 1024 + 64L * input.length,
                () -> allocated + " bytes allocated decoding " + input.length);
    }

    /** @return the bytes allocated decoding */
    private static long decodeOrViolation(SplittableRandom r, byte[] input, boolean toServer) {
        List<ByteBuf> fed = new ArrayList<>();
        Receiver receiver = new Receiver();
        FrameDecoder decoder = new FrameDecoder(receiver, toServer);
        receiver.decoder = decoder;
        long before = Fuzz.allocatedBytes();
        try {
            for (byte[] piece : Mutations.pieces(r, input)) {
                ByteBuf buf = Unpooled.wrappedBuffer(piece);
                fed.add(buf);
                decoder.feed(buf);
            }
        } catch (ProtocolViolation expected) {
            // the connection is closed: what the peer sent cannot be trusted to stay in step
        } finally {
            decoder.close();
        }
        long allocated = Fuzz.allocatedBytes() - before;
        assertTrue(fed.stream().allMatch(b -> b.refCnt() == 0), "every buffer fed is released once closed");
        return allocated;
    }

    private static Receiver decode(byte[] bytes, boolean toServer, List<Integer> cuts) {
        Receiver receiver = new Receiver();
        FrameDecoder decoder = new FrameDecoder(receiver, toServer);
        receiver.decoder = decoder;
        int from = 0;
        for (int cut : cuts) {
            decoder.feed(Unpooled.wrappedBuffer(bytes, from, cut - from));
            from = cut;
        }
        decoder.feed(Unpooled.wrappedBuffer(bytes, from, bytes.length - from));
        return receiver;
    }

    /** A hello and up to 6 random frames of one direction, with DATA and READ bodies. */
    private static Stream stream(SplittableRandom r) {
        boolean toServer = r.nextBoolean();
        ByteBuf out = Unpooled.buffer().writeBytes(Hello.encode());
        List<String> frames = new ArrayList<>();
        ByteArrayOutputStream bodies = new ByteArrayOutputStream();
        for (int n = r.nextInt(7); n > 0; n--) {
            FrameType type = toServer ? REQUESTS[r.nextInt(REQUESTS.length)] : REPLIES[r.nextInt(REPLIES.length)];
            int id = r.nextInt();
            int flags = type == FrameType.LIST_BATCH && r.nextBoolean() ? FrameHeader.FLAG_END : 0;
            byte[] body = type == FrameType.WRITE || type == FrameType.READ_OK ? Mutations.randomBytes(r, 300) : new byte[0];
            MessageLite payload = payload(r, type, body.length);
            ByteBuf frame = payload == null ? Frames.empty(type, id) : Frames.control(type, flags, id, payload);
            frames.add(type + "/" + flags + "#" + id + ":" + ByteBufUtil.hexDump(frame, FrameHeader.BYTES, frame.readableBytes() - FrameHeader.BYTES));
            out.writeBytes(frame);
            for (int off = 0; type == FrameType.WRITE && off < body.length; ) {
                int len = Math.min(body.length - off, 1 + r.nextInt(100));
                out.writeBytes(Frames.dataHeader(id, len)).writeBytes(body, off, len);
                off += len;
            }
            if (type == FrameType.READ_OK) {
                out.writeBytes(body);
            }
            bodies.writeBytes(body);
        }
        return new Stream(ByteBufUtil.getBytes(out), frames, bodies.toByteArray(), toServer);
    }

    private static MessageLite payload(SplittableRandom r, FrameType type, int bodyLength) {
        ShardKey key = ShardKey.newBuilder().setBlockHi(r.nextLong()).setBlockLo(r.nextLong()).setIndex(r.nextInt(20)).build();
        return switch (type) {
            case WRITE -> WriteShardRequest.newBuilder().setId(key).setLength(bodyLength).setCrc32C(r.nextInt()).build();
            case READ -> ReadShardRequest.newBuilder().setId(key).setOffset(r.nextLong(1 << 20)).setLength(r.nextInt(1 << 20)).build();
            case DELETE -> DeleteShardRequest.newBuilder().setId(key).build();
            case REBUILD -> RebuildShardRequest.newBuilder().setBlockHi(r.nextLong()).setStorageClass("EC_4_2").setShardSize(r.nextInt(1 << 20))
                    .setIndex(r.nextInt(6)).addSources("127.0.0.1:" + r.nextInt(65536)).build();
            case CORRUPT -> CorruptShardReport.newBuilder().setId(key).setReason(Mutations.randomText(r, "abc é", 20)).build();
            case READ_OK -> ReadShardReply.newBuilder().setLength(bodyLength).addPieceCrc32C(r.nextInt()).setShardLength(bodyLength).build();
            case DELETE_OK -> DeleteShardReply.newBuilder().setExisted(r.nextBoolean()).build();
            case STATS_OK -> StatsReply.newBuilder().setNodeId("cs-" + r.nextInt(9)).setShards(r.nextLong(1000)).build();
            case LIST_BATCH -> ListShardsReply.newBuilder().addShards(ListedShard.newBuilder().setId(key).setLength(r.nextInt(1 << 20))).build();
            case ERROR -> ErrorReply.newBuilder().setCode("NOT_FOUND").setMessage(Mutations.randomText(r, "abc ", 30)).build();
            default -> null; // STATS, LIST, WRITE_OK, REBUILD_OK: empty
        };
    }

    /** The parser the receiving side applies to a frame's payload, or null for empty payloads. */
    private static Parser<? extends MessageLite> parser(FrameType type) {
        return switch (type) {
            case WRITE -> WriteShardRequest.parser();
            case READ -> ReadShardRequest.parser();
            case DELETE -> DeleteShardRequest.parser();
            case REBUILD -> RebuildShardRequest.parser();
            case CORRUPT -> CorruptShardReport.parser();
            case READ_OK -> ReadShardReply.parser();
            case DELETE_OK -> DeleteShardReply.parser();
            case STATS_OK -> StatsReply.parser();
            case LIST_BATCH -> ListShardsReply.parser();
            case ERROR -> ErrorReply.parser();
            default -> null;
        };
    }
}
