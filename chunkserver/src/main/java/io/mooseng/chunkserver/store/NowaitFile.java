package io.mooseng.chunkserver.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.concurrent.locks.StampedLock;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A read-only descriptor of a segment file for threads that must not wait for the disk (the
 * transport's event loops): {@code preadv2} with {@code RWF_NOWAIT} copies what the page cache
 * holds and refuses at once what it would have to fetch, so such a read either completes from
 * memory or is left to a worker thread. Linux only (kernel 4.14, glibc 2.26); elsewhere, or
 * without native access, {@link #open} returns null and every read goes to the workers.
 *
 * <p>Thread-safe: reads run concurrently; {@link #close} waits for those under way, so a
 * descriptor number is never read after the kernel may have given it to another file.
 */
final class NowaitFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NowaitFile.class);
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;
    private static final int RWF_NOWAIT = 0x08;
    /** struct iovec: base and length. */
    private static final MemoryLayout IOVEC = MemoryLayout.structLayout(ADDRESS.withName("base"), JAVA_LONG.withName("len"));
    private static final Natives NATIVES = Natives.bind();

    private final StampedLock closing = new StampedLock();
    private int fd;

    private NowaitFile(int fd) {
        this.fd = fd;
    }

    /** A descriptor of {@code path}, or null if this platform cannot read without waiting (or the open failed). */
    static NowaitFile open(Path path) {
        if (NATIVES == null) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) NATIVES.open.invokeExact(arena.allocateFrom(path.toString()), O_RDONLY | O_CLOEXEC, 0);
            return fd < 0 ? null : new NowaitFile(fd);
        } catch (Throwable e) {
            log.debug("no descriptor for reads without waiting: path={} cause={}", path, e.toString());
            return null;
        }
    }

    /**
     * Fills {@code dst} from {@code position} if the page cache holds all of it.
     *
     * @param scratch room for the call's iovec
     * @return false if some of it is not in memory, the file ends first, the descriptor is
     *         closed or the call failed: read it the blocking way
     */
    boolean readCached(MemorySegment dst, long position, Arena scratch) {
        long stamp = closing.tryReadLock();
        if (stamp == 0) {
            return false;
        }
        try {
            if (fd < 0) {
                return false;
            }
            MemorySegment iovec = scratch.allocate(IOVEC);
            iovec.set(ADDRESS, 0, dst);
            iovec.set(JAVA_LONG, ADDRESS.byteSize(), dst.byteSize());
            // one call: a short count means the rest is not cached (or past the end), and either way goes to a worker
            return (long) NATIVES.preadv2.invokeExact(fd, iovec, 1, position, RWF_NOWAIT) == dst.byteSize();
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            // the downcall itself failed: the worker's read will say what is wrong
            return false;
        } finally {
            closing.unlockRead(stamp);
        }
    }

    @Override
    public void close() {
        long stamp = closing.writeLock();
        try {
            if (fd >= 0 && (int) NATIVES.close.invokeExact(fd) < 0) {
                log.debug("closing descriptor {} failed", fd);
            }
            fd = -1;
        } catch (Throwable e) {
            log.debug("closing a descriptor failed", e);
        } finally {
            closing.unlockWrite(stamp);
        }
    }

    /** The C library's calls, or null where they are not to be had. */
    private record Natives(MethodHandle open, MethodHandle preadv2, MethodHandle close) {
        static Natives bind() {
            if (!System.getProperty("os.name", "").startsWith("Linux")) {
                return null;
            }
            try {
                Linker linker = Linker.nativeLinker();
                return new Natives(
                        linker.downcallHandle(linker.defaultLookup().findOrThrow("open"),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2)),
                        linker.downcallHandle(linker.defaultLookup().findOrThrow("preadv2"),
                                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT)),
                        linker.downcallHandle(linker.defaultLookup().findOrThrow("close"),
                                FunctionDescriptor.of(JAVA_INT, JAVA_INT)));
            } catch (RuntimeException e) {
                // no such symbol, or native access not enabled (IllegalCallerException)
                log.info("reads are served from worker threads only: {}", e.toString());
                return null;
            }
        }
    }
}
