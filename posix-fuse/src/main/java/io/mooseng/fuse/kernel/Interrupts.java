package io.mooseng.fuse.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * FUSE_INTERRUPT for the requests that only read (READ, GETATTR, READLINK, GETXATTR,
 * LISTXATTR, STATFS): a caller that got a signal is answered EINTR at once, and the answer
 * the filesystem gives later is dropped, so a process killed while its read waits on an
 * unreachable chunkserver ends now, not at the read's deadline. Requests that change
 * something, or that count lookups, run to their end (the protocol allows ignoring an
 * interrupt); an INTERRUPT for them, or for a request already answered, is ignored.
 */
final class Interrupts {
    /** A request that may be interrupted: where its answer goes, and whether it went. */
    static final class Waiting {
        final long unique;
        final int fd;
        final AtomicBoolean answered = new AtomicBoolean();

        Waiting(long unique, int fd) {
            this.unique = unique;
            this.fd = fd;
        }
    }

    private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();

    /** @return the request's entry if it may be interrupted, else null */
    Waiting register(FuseRequest r, int fd) {
        return switch (r.opcode()) {
            case FuseProtocol.READ, FuseProtocol.GETATTR, FuseProtocol.READLINK, FuseProtocol.GETXATTR,
                 FuseProtocol.LISTXATTR, FuseProtocol.STATFS -> {
                Waiting w = new Waiting(r.unique(), fd);
                waiting.put(w.unique, w);
                yield w;
            }
            default -> null;
        };
    }

    /** The filesystem answered; @return whether its answer is to be sent (no EINTR went first) */
    boolean done(Waiting w) {
        if (w == null) {
            return true;
        }
        waiting.remove(w.unique, w);
        return w.answered.compareAndSet(false, true);
    }

    /** The kernel asks to interrupt request {@code unique}. */
    void interrupt(long unique) {
        Waiting w = waiting.remove(unique);
        if (w == null || !w.answered.compareAndSet(false, true)) {
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(FuseProtocol.OUT_HEADER);
            Replies.header(m, FuseProtocol.OUT_HEADER, -Errno.EINTR, unique);
            FuseSession.reply(Libc.newCallState(a), w.fd, m, FuseProtocol.OUT_HEADER);
        }
    }
}
