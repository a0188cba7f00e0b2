package io.mooseng.fuse.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * A mounted FUSE filesystem: /dev/fuse opened and mounted with mount(2), and the threads
 * that read requests from it, each on its own clone of the device (FUSE_DEV_IOC_CLONE) with
 * its own off-heap buffers, answering on the descriptor the request came from. A thread
 * starts when the last idle one takes a request, up to {@link MountOptions#maxThreads}.
 * Memory: two buffers of about max_write per thread (2 MiB each at the default 1 MiB).
 */
public final class FuseSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FuseSession.class);
    private static final long INIT_TIMEOUT_SECONDS = 10;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final Path mountPoint;
    private final MountOptions options;
    private final int sessionFd;
    private final boolean viaFusermount;
    private final Dispatcher dispatcher;
    private final CountDownLatch initialized = new CountDownLatch(1);
    private final Interrupts interrupts = new Interrupts();
    private final AtomicInteger idle = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closing;

    private FuseSession(FuseFilesystem fs, Path mountPoint, MountOptions options, int sessionFd, boolean viaFusermount) {
        this.viaFusermount = viaFusermount;
        this.mountPoint = mountPoint;
        this.options = options;
        this.sessionFd = sessionFd;
        this.dispatcher = new Dispatcher(fs, options.maxWrite(), initialized::countDown);
    }

    /**
     * Mounts {@code fs} at {@code mountPoint} and returns once the kernel has finished its
     * handshake (FUSE_INIT), so the mount is usable. As root it mounts with mount(2); any
     * other user (or {@link MountOptions#viaFusermount}) goes through fusermount3.
     */
    public static FuseSession mount(FuseFilesystem fs, Path mountPoint, MountOptions options) throws IOException {
        Path target = mountPoint.toAbsolutePath().normalize();
        if (!Files.isDirectory(target)) {
            throw new IOException(target + " is not a directory");
        }
        boolean viaFusermount = options.viaFusermount() || Libc.geteuid() != 0;
        int fd = viaFusermount ? Fusermount.mount(target, fusermountOptions(options)) : mountAsRoot(target, options);
        FuseSession session = new FuseSession(fs, target, options, fd, viaFusermount);
        session.start(fd);
        if (!session.awaitInit()) {
            session.close();
            throw new IOException("the kernel did not complete FUSE_INIT within " + INIT_TIMEOUT_SECONDS + " s");
        }
        return session;
    }

    private static int mountAsRoot(Path target, MountOptions options) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            int fd = Libc.open(state, "/dev/fuse", Libc.O_RDWR | Libc.O_CLOEXEC);
            if (fd < 0) {
                throw new IOException("cannot open /dev/fuse: " + Libc.strerror(-fd) + " (is the fuse module loaded?)");
            }
            String data = "fd=" + fd + ",rootmode=40000,user_id=0,group_id=" + Libc.getegid()
                    + (options.defaultPermissions() ? ",default_permissions" : "") + (options.allowOther() ? ",allow_other" : "");
            long flags = Libc.MS_NOSUID | Libc.MS_NODEV | (options.readOnly() ? Libc.MS_RDONLY : 0);
            int r = Libc.mount(state, options.fsName(), target.toString(), "fuse." + options.subtype(), flags, data);
            if (r < 0) {
                Libc.close(state, fd);
                throw new IOException("mount of " + target + " failed: " + Libc.strerror(-r));
            }
            return fd;
        }
    }

    /** fusermount3 -o: it adds the descriptor, root mode and owner itself (allow_other needs user_allow_other in /etc/fuse.conf). */
    private static String fusermountOptions(MountOptions options) {
        return "nosuid,nodev,fsname=" + options.fsName() + ",subtype=" + options.subtype()
                + (options.defaultPermissions() ? ",default_permissions" : "") + (options.allowOther() ? ",allow_other" : "")
                + (options.readOnly() ? ",ro" : "");
    }

    public Path mountPoint() {
        return mountPoint;
    }

    private boolean awaitInit() {
        try {
            return initialized.await(INIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts a thread reading from {@code fd}. */
    private synchronized void start(int fd) {
        Thread t = Thread.ofPlatform().daemon().name("fuse-" + threads.size()).unstarted(() -> serve(fd));
        threads.add(t);
        idle.incrementAndGet();
        t.start();
    }

    /** Called when the last idle thread took a request: one more, on a clone of the device. */
    private synchronized void grow() {
        if (closing || threads.size() >= options.maxThreads()) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            int fd = Libc.open(state, "/dev/fuse", Libc.O_RDWR | Libc.O_CLOEXEC);
            if (fd < 0) {
                LOG.warn("cannot open /dev/fuse for another session thread: {}", Libc.strerror(-fd));
                return;
            }
            MemorySegment master = arena.allocate(JAVA_INT);
            master.set(JAVA_INT, 0, sessionFd);
            int r = Libc.ioctl(state, fd, Libc.FUSE_DEV_IOC_CLONE, master);
            if (r < 0) {
                // an old kernel: the thread shares the session's descriptor
                Libc.close(state, fd);
                start(sessionFd);
                return;
            }
            start(fd);
        }
    }

    private void serve(int fd) {
        int bufferSize = options.maxWrite() + FuseProtocol.REQUEST_OVERHEAD;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            MemorySegment in = arena.allocate(bufferSize, FuseProtocol.PAGE_SIZE);
            MemorySegment out = arena.allocate(FuseProtocol.OUT_HEADER + options.maxWrite(), FuseProtocol.PAGE_SIZE);
            FuseRequest request = new FuseRequest(in);
            while (true) {
                long n = Libc.read(state, fd, in, bufferSize);
                if (n < 0) {
                    int errno = (int) -n;
                    // ENOENT: the request was interrupted before we read it
                    if (errno == Errno.ENOENT || errno == Errno.EINTR || errno == Errno.EAGAIN) {
                        continue;
                    }
                    if (errno != Errno.ENODEV) {
                        LOG.warn("reading /dev/fuse failed: {}; this session thread stops", Libc.strerror(errno));
                    }
                    return;
                }
                if (idle.decrementAndGet() == 0) {
                    grow();
                }
                try {
                    request.reset(n);
                    if (request.opcode() == FuseProtocol.INTERRUPT) {
                        interrupts.interrupt(request.i64(0));
                        continue;
                    }
                    Interrupts.Waiting waiting = interrupts.register(request, fd);
                    int length = dispatcher.dispatch(request, out);
                    if (length != Dispatcher.NO_REPLY && interrupts.done(waiting)) {
                        reply(state, fd, out, length);
                    }
                } finally {
                    idle.incrementAndGet();
                }
            }
        } finally {
            if (fd != sessionFd) {
                try (Arena arena = Arena.ofConfined()) {
                    Libc.close(Libc.newCallState(arena), fd);
                }
            }
        }
    }

    /**
     * Tells the kernel that a node's attributes (and with {@code content}, its cached pages)
     * are stale. Must not be called from inside an operation on that node (the kernel may
     * wait for it); a node the kernel no longer holds is skipped.
     */
    public void invalidateInode(long nodeid, boolean content) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(FuseProtocol.OUT_HEADER + 24);
            m.set(JAVA_LONG_UNALIGNED, FuseProtocol.OUT_HEADER, nodeid);
            m.set(JAVA_LONG_UNALIGNED, FuseProtocol.OUT_HEADER + 8, content ? 0 : -1);
            m.set(JAVA_LONG_UNALIGNED, FuseProtocol.OUT_HEADER + 16, 0);
            notify(arena, m, FuseProtocol.NOTIFY_INVAL_INODE);
        }
    }

    /**
     * Tells the kernel to forget the name {@code name} in directory {@code parent} (the next
     * use looks it up again). Not from inside an operation on that directory.
     */
    public void invalidateEntry(long parent, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(FuseProtocol.OUT_HEADER + 16 + bytes.length + 1);
            m.set(JAVA_LONG_UNALIGNED, FuseProtocol.OUT_HEADER, parent);
            m.set(JAVA_INT_UNALIGNED, FuseProtocol.OUT_HEADER + 8, bytes.length);
            MemorySegment.copy(bytes, 0, m, JAVA_BYTE, FuseProtocol.OUT_HEADER + 16, bytes.length);
            notify(arena, m, FuseProtocol.NOTIFY_INVAL_ENTRY);
        }
    }

    private void notify(Arena arena, MemorySegment message, int code) {
        Replies.header(message, (int) message.byteSize(), code, 0);
        long w = Libc.write(Libc.newCallState(arena), sessionFd, message, message.byteSize());
        // ENOENT: the kernel does not hold that node or name (any more)
        if (w < 0 && w != -Errno.ENOENT && !closing) {
            LOG.warn("notifying the kernel (code {}) failed: {}", code, Libc.strerror((int) -w));
        }
    }

    static void reply(MemorySegment state, int fd, MemorySegment message, long length) {
        long w = Libc.write(state, fd, message, length);
        // ENOENT: the request was interrupted or the mount aborted meanwhile
        if (w < 0 && w != -Errno.ENOENT) {
            LOG.warn("replying to /dev/fuse failed: {}", Libc.strerror((int) -w));
        }
    }

    /** Unmounts (lazily if files are still open) and waits for the session threads to stop. */
    @Override
    public void close() {
        List<Thread> running;
        synchronized (this) {
            closing = true;
            running = List.copyOf(threads);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            if (viaFusermount) {
                Fusermount.unmount(mountPoint);
            } else {
                int r = Libc.umount2(state, mountPoint.toString(), 0);
                if (r == -Errno.EBUSY) {
                    r = Libc.umount2(state, mountPoint.toString(), Libc.MNT_DETACH);
                }
                // EINVAL: no longer mounted (fusermount -u or umount from outside)
                if (r < 0 && r != -Errno.EINVAL) {
                    LOG.warn("unmounting {} failed: {}", mountPoint, Libc.strerror(-r));
                }
            }
            long deadline = System.currentTimeMillis() + STOP_TIMEOUT_MILLIS;
            for (Thread t : running) {
                t.join(Math.max(1, deadline - System.currentTimeMillis()));
            }
            if (running.stream().anyMatch(Thread::isAlive)) {
                // a lazy unmount: open files keep the session serving until they are closed
                LOG.info("{} unmounted; files still open there are served until closed", mountPoint);
                return;
            }
            Libc.close(state, sessionFd);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
