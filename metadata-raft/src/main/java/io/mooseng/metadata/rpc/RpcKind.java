package io.mooseng.metadata.rpc;

/** What a frame of the Raft RPC carries; {@link #code} is its byte on the wire. */
enum RpcKind {
    APPEND_ENTRIES(1), REQUEST_VOTE(2), INSTALL_SNAPSHOT(3), START_LEADER_ELECTION(4), READ_INDEX(5),
    CLIENT_REQUEST(10), SET_CONFIGURATION(11), GROUP_MANAGEMENT(12), GROUP_LIST(13), GROUP_INFO(14),
    TRANSFER_LEADERSHIP(15), SNAPSHOT_MANAGEMENT(16), LEADER_ELECTION_MANAGEMENT(17);

    private static final RpcKind[] BY_CODE = new RpcKind[32];

    static {
        for (RpcKind k : values()) {
            BY_CODE[k.code] = k;
        }
    }

    final byte code;

    RpcKind(int code) {
        this.code = (byte) code;
    }

    static RpcKind of(byte code) {
        RpcKind k = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (k == null) {
            throw new IllegalArgumentException("unknown Raft RPC kind " + code);
        }
        return k;
    }
}
