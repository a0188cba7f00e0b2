package io.mooseng.chunkserver.transport;

import io.netty.buffer.ByteBuf;

/**
 * The 12 bytes in front of every frame, big-endian:
 * <pre>
 *  0  u8   type ({@link FrameType})
 *  1  u8   flags: bit 0 {@link #FLAG_END} (on the last LIST_BATCH only); other bits zero
 *  2  u16  zero
 *  4  u32  request id, chosen by the client (0 only on connection-level ERROR frames)
 *  8  u32  payload length, at most {@link #MAX_PAYLOAD} (DATA: at least 1)
 * </pre>
 */
record FrameHeader(FrameType type, int flags, int requestId, int length) {
    static final int BYTES = 12;
    /** Largest payload of any frame: bounds what either side buffers for one frame. */
    static final int MAX_PAYLOAD = 64 * 1024;
    static final int FLAG_END = 1;

    static void write(ByteBuf out, FrameType type, int flags, int requestId, int length) {
        out.writeByte(type.code).writeByte(flags).writeShort(0).writeInt(requestId).writeInt(length);
    }

    /**
     * Reads and checks a header.
     *
     * @throws ProtocolViolation if it is not a well-formed header
     */
    static FrameHeader read(ByteBuf in) {
        int code = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int zero = in.readUnsignedShort();
        int requestId = in.readInt();
        long length = in.readUnsignedInt();
        FrameType type = FrameType.of(code);
        if (type == null) {
            throw new ProtocolViolation(String.format("unknown frame type 0x%02x", code));
        }
        if (zero != 0 || (flags & ~FLAG_END) != 0 || (flags != 0 && type != FrameType.LIST_BATCH)) {
            throw new ProtocolViolation(String.format("%s frame with flags 0x%02x and reserved bits 0x%04x", type, flags, zero));
        }
        if (length > MAX_PAYLOAD || (type == FrameType.DATA && length == 0)) {
            throw new ProtocolViolation(type + " frame of " + length + " bytes; frames carry " + (type == FrameType.DATA ? 1 : 0)
                    + " to " + MAX_PAYLOAD + " bytes");
        }
        return new FrameHeader(type, flags, requestId, (int) length);
    }

    boolean end() {
        return (flags & FLAG_END) != 0;
    }
}
