package io.mooseng.metadata.rpc;

/**
 * What a frame of the Raft RPC carries: {@link #code} is its byte on the wire,
 * {@link #callers} who may make the call and {@link #action} what it does, for a refusal.
 */
enum RpcKind {
    APPEND_ENTRIES(1, Callers.MASTERS, "append log entries"),
    REQUEST_VOTE(2, Callers.MASTERS, "ask for a vote"),
    INSTALL_SNAPSHOT(3, Callers.MASTERS, "install a snapshot"),
    START_LEADER_ELECTION(4, Callers.MASTERS, "start an election"),
    READ_INDEX(5, Callers.MASTERS, "ask for a read index"),
    CLIENT_REQUEST(10, Callers.PROCESSES, "send commands or queries"),
    SET_CONFIGURATION(11, Callers.MEMBERSHIP, "change the membership"),
    GROUP_MANAGEMENT(12, Callers.ADMINS, "add or remove groups"),
    GROUP_LIST(13, Callers.PROCESSES, "list the groups"),
    GROUP_INFO(14, Callers.PROCESSES, "read the group's status"),
    TRANSFER_LEADERSHIP(15, Callers.ADMINS, "transfer the leadership"),
    SNAPSHOT_MANAGEMENT(16, Callers.ADMINS, "manage snapshots"),
    LEADER_ELECTION_MANAGEMENT(17, Callers.ADMINS, "pause or resume elections");

    private static final RpcKind[] BY_CODE = new RpcKind[32];

    static {
        for (RpcKind k : values()) {
            BY_CODE[k.code] = k;
        }
    }

    final byte code;
    final Callers callers;
    final String action;

    RpcKind(int code, Callers callers, String action) {
        this.code = (byte) code;
        this.callers = callers;
        this.action = action;
    }

    static RpcKind of(byte code) {
        RpcKind k = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (k == null) {
            throw new IllegalArgumentException("unknown Raft RPC kind " + code);
        }
        return k;
    }
}
