package io.mooseng.chunkserver.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The 8 bytes each side sends first: magic {@code "MNGS"}, u16 version, u16 zero. The client
 * sends its hello and waits for the server's before sending requests; a server that gets
 * anything else answers its own hello and an ERROR frame saying what it expected, and
 * closes, so a wrong peer (an HTTP client, another version) fails at once and clearly.
 */
final class Hello {
    static final int BYTES = 8;
    static final int VERSION = 1;
    private static final int MAGIC = 0x4d4e4753;

    private Hello() {
    }

    static ByteBuf encode() {
        return Unpooled.buffer(BYTES).writeInt(MAGIC).writeShort(VERSION).writeShort(0);
    }

    /**
     * Checks a received hello.
     *
     * @param peer what the peer should be, for the error ("a shard transport client")
     * @throws ProtocolViolation if the bytes are not a hello of this version
     */
    static void check(ByteBuf hello, String peer) {
        ByteBuf bytes = hello.duplicate();
        if (bytes.getInt(0) != MAGIC || bytes.getShort(6) != 0) {
            throw new ProtocolViolation("not " + peer + ": expected the hello \"MNGS\" version " + VERSION + ", got "
                    + ByteBufUtil.hexDump(bytes) + " (\"" + printable(bytes) + "\")");
        }
        int version = bytes.getUnsignedShort(4);
        if (version != VERSION) {
            throw new ProtocolViolation(peer + " of version " + version + "; this side speaks version " + VERSION + " only");
        }
    }

    private static String printable(ByteBuf bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : ByteBufUtil.getBytes(bytes)) {
            text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return text.toString();
    }
}
