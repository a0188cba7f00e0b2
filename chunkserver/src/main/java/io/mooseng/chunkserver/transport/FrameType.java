package io.mooseng.chunkserver.transport;

/**
 * The kinds of frame of the shard transport, by the code in byte 0 of the frame header
 * ({@link FrameHeader}). Requests have codes below 0x80; the reply to a request has its
 * code plus 0x80; {@link #ERROR} answers any request that failed. Payloads are the messages
 * of {@code chunkserver.proto} (empty where none is named), except DATA, whose payload is
 * raw shard bytes.
 */
enum FrameType {
    /** WriteShardRequest; the shard's DATA frames follow at once, nothing else between them. */
    WRITE(0x01),
    /** 1 to 64 KiB of the shard announced by the WRITE frame of the same request id. */
    DATA(0x02),
    /** ReadShardRequest. */
    READ(0x03),
    /** DeleteShardRequest. */
    DELETE(0x04),
    /** Usage of the store. */
    STATS(0x05),
    /** The whole inventory. */
    LIST(0x06),
    /** RebuildShardRequest. */
    REBUILD(0x07),
    /** CorruptShardReport: bytes of a READ reply failed their checksum. Never answered. */
    CORRUPT(0x08),
    /** The shard is durable. */
    WRITE_OK(0x81),
    /** ReadShardReply, followed by the raw bytes it announces (not framed). */
    READ_OK(0x83),
    /** DeleteShardReply. */
    DELETE_OK(0x84),
    /** StatsReply. */
    STATS_OK(0x85),
    /** ListShardsReply: one batch; the last one has {@link FrameHeader#FLAG_END}. */
    LIST_BATCH(0x86),
    /** The shard was rebuilt and is durable. */
    REBUILD_OK(0x87),
    /** ErrorReply: the request failed; request id 0: the connection failed and is closed. */
    ERROR(0xFF);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The type of code {@code code} (0..255), or null if there is none. */
    static FrameType of(int code) {
        return BY_CODE[code];
    }

    boolean isRequest() {
        return code < 0x80;
    }

    /** The reply to this request type; CORRUPT and DATA have none. */
    FrameType reply() {
        FrameType reply = isRequest() ? BY_CODE[code | 0x80] : null;
        if (reply == null) {
            throw new IllegalStateException(this + " is not answered");
        }
        return reply;
    }
}
