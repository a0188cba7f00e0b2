package io.mooseng.chunkserver.store;

/** What a segment record says about its shard; the code is the byte stored in the header. */
enum RecordType {
    PUT(1),
    /** A tombstone: no payload; the shard is gone from this point of the log on. */
    DELETE(2);

    final byte code;

    RecordType(int code) {
        this.code = (byte) code;
    }

    /** @return the type with this code, or null for a byte no writer produces */
    static RecordType of(byte code) {
        for (RecordType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
