package io.mooseng.core.status;

/**
 * One member of the metadata group as it reports itself ({@code admin status}).
 *
 * @param id            member id (e.g. m1)
 * @param address       raft address
 * @param role          LEADER, FOLLOWER, CANDIDATE, LISTENER, or DOWN when it did not answer
 * @param term          term of its last log entry
 * @param commitIndex   highest index it knows committed
 * @param appliedIndex  highest index applied to its state machine
 * @param snapshotIndex index of its latest snapshot (-1: none)
 * @param lag           entries its applied state trails the leader's commit index (-1: unknown)
 * @param error         why it is DOWN, else null
 */
public record MemberStatus(String id, String address, String role, long term, long commitIndex, long appliedIndex,
                           long snapshotIndex, long lag, String error) {
    public static MemberStatus down(String id, String address, String error) {
        return new MemberStatus(id, address, "DOWN", -1, -1, -1, -1, -1, error);
    }

    public MemberStatus withLag(long lag) {
        return new MemberStatus(id, address, role, term, commitIndex, appliedIndex, snapshotIndex, lag, error);
    }
}
