package io.mooseng.metadata.raft;

/**
 * Monitoring figures of one metadata peer.
 *
 * @param peerId          this peer
 * @param role            LEADER, CANDIDATE, FOLLOWER or LISTENER
 * @param leader          whether this peer is the leader
 * @param leaderId        the leader this peer knows of, null if none
 * @param term            current Raft term
 * @param commitIndex     highest log index known committed
 * @param lastAppliedIndex highest log index applied to the state machine
 * @param appliedEntries  log entries applied by the state machine since this process started
 * @param snapshotIndex   log index of the latest snapshot (checkpoint), -1 if none
 */
public record RaftStatus(String peerId, String role, boolean leader, String leaderId, long term, long commitIndex,
                         long lastAppliedIndex, long appliedEntries, long snapshotIndex) {
}
