package io.mooseng.core.status;

import java.io.IOException;
import java.util.List;

/** The metadata group's members as each reports itself (Raft role, term, indexes, lag): the masters part of a status view. */
@FunctionalInterface
public interface MetadataGroupStatus {
    /** Blocking: asks every member once. @throws IOException when no member answers */
    List<MemberStatus> status() throws IOException;
}
