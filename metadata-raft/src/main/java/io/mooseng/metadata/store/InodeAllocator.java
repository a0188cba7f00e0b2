package io.mooseng.metadata.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;

/**
 * Hands out the inode ids of one log entry: {@code index << INODE_SEQUENCE_BITS | sequence},
 * so ids are unique and identical on every replica without any shared counter.
 */
final class InodeAllocator {
    private static final int MAX_SEQUENCE = 1 << NamespaceSchema.INODE_SEQUENCE_BITS;
    static final int MAX_RESERVATION = 4096;
    private final long base;
    private int sequence;

    InodeAllocator(long logIndex) {
        if (logIndex < 0 || logIndex >= 1L << (63 - NamespaceSchema.INODE_SEQUENCE_BITS)) {
            throw new IllegalArgumentException("log index out of inode id range: " + logIndex);
        }
        this.base = logIndex << NamespaceSchema.INODE_SEQUENCE_BITS;
    }

    /**
     * {@code count} consecutive ids for a client to give the entries it creates later
     * ({@link #isReserved}); @return the first.
     */
    long reserve(int count) {
        if (count < 1 || count > MAX_RESERVATION) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "reserve 1 to " + MAX_RESERVATION + " inodes, not " + count);
        }
        long first = next();
        for (int i = 1; i < count; i++) {
            next();
        }
        return first;
    }

    /** Whether {@code inode} was handed out by an earlier entry (a reservation, if it is not in use). */
    boolean isEarlier(long inode) {
        return inode > 0 && inode < base;
    }

    long next() {
        if (sequence >= MAX_SEQUENCE) {
            // our clients' batches stay well below this (64 commands of at most 513 inodes each);
            // failing the command, not the replica, keeps a hostile entry from stopping the log
            throw new MooseException(ErrorCode.INTERNAL, "more than " + MAX_SEQUENCE + " inodes in one log entry");
        }
        return base | sequence++;
    }
}
