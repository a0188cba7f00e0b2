package io.mooseng.fuse.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library calls the FUSE session makes, bound through FFM. Each returns the call's
 * result, or minus errno when it failed; the errno is captured per call into a
 * caller-owned {@link #newCallState state} (one per thread on hot paths: no allocation).
 */
final class Libc {
    static final int O_RDWR = 02;
    static final int O_CLOEXEC = 02000000;
    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final int MNT_DETACH = 2;
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    /** FUSE_DEV_IOC_CLONE: _IOR(229, 0, uint32_t). */
    static final long FUSE_DEV_IOC_CLONE = 0x8004e500L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle IOCTL = bind("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MOUNT = bind("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = bind("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SOCKETPAIR = bind("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle RECVMSG = bind("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FCNTL = bind("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle WAITPID = bind("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /** posix_spawnp returns its error number instead of setting errno. */
    private static final MethodHandle POSIX_SPAWNP = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("posix_spawnp"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle GETEUID = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("geteuid"),
            FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETEGID = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("getegid"),
            FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("strerror"),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {
    }

    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor, all);
    }

    /** Room for one call's errno. */
    static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static int open(MemorySegment state, String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path);
            return call("open", state, () -> (int) OPEN.invokeExact(state, p, flags, 0));
        }
    }

    static int close(MemorySegment state, int fd) {
        return call("close", state, () -> (int) CLOSE.invokeExact(state, fd));
    }

    static long read(MemorySegment state, int fd, MemorySegment buffer, long size) {
        return callLong("read", state, () -> (long) READ.invokeExact(state, fd, buffer, size));
    }

    static long write(MemorySegment state, int fd, MemorySegment buffer, long size) {
        return callLong("write", state, () -> (long) WRITE.invokeExact(state, fd, buffer, size));
    }

    static int ioctl(MemorySegment state, int fd, long request, MemorySegment arg) {
        return call("ioctl", state, () -> (int) IOCTL.invokeExact(state, fd, request, arg));
    }

    static int mount(MemorySegment state, String source, String target, String type, long flags, String data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = a.allocateFrom(source);
            MemorySegment dst = a.allocateFrom(target);
            MemorySegment fsType = a.allocateFrom(type);
            MemorySegment options = a.allocateFrom(data);
            return call("mount", state, () -> (int) MOUNT.invokeExact(state, src, dst, fsType, flags, options));
        }
    }

    static int umount2(MemorySegment state, String target, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocateFrom(target);
            return call("umount2", state, () -> (int) UMOUNT2.invokeExact(state, t, flags));
        }
    }

    /** @param fds two ints, filled with the pair's descriptors */
    static int socketpair(MemorySegment state, MemorySegment fds) {
        return call("socketpair", state, () -> (int) SOCKETPAIR.invokeExact(state, AF_UNIX, SOCK_STREAM, 0, fds));
    }

    static long recvmsg(MemorySegment state, int fd, MemorySegment msghdr) {
        return callLong("recvmsg", state, () -> (long) RECVMSG.invokeExact(state, fd, msghdr, 0));
    }

    /** Marks a descriptor close-on-exec (F_SETFD, FD_CLOEXEC), so no child process keeps it. */
    static int closeOnExec(MemorySegment state, int fd) {
        return call("fcntl", state, () -> (int) FCNTL.invokeExact(state, fd, 2, 1));
    }

    /** @param status one int, filled with the child's wait status */
    static int waitpid(MemorySegment state, int pid, MemorySegment status) {
        return call("waitpid", state, () -> (int) WAITPID.invokeExact(state, pid, status, 0));
    }

    /**
     * Starts {@code argv[0]} (searched in PATH) with {@code env}; the child inherits every
     * descriptor not marked close-on-exec. @return the pid, or minus the error number
     */
    static int spawn(String[] argv, String[] env) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pid = a.allocate(JAVA_INT);
            int r = (int) POSIX_SPAWNP.invokeExact(pid, a.allocateFrom(argv[0]), MemorySegment.NULL, MemorySegment.NULL,
                    strings(a, argv), strings(a, env));
            return r != 0 ? -r : pid.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("posix_spawnp() could not be called through FFM", t);
        }
    }

    /** A NULL-terminated array of C strings. */
    private static MemorySegment strings(Arena a, String[] values) {
        MemorySegment array = a.allocate(ADDRESS, values.length + 1);
        for (int i = 0; i < values.length; i++) {
            array.setAtIndex(ADDRESS, i, a.allocateFrom(values[i]));
        }
        array.setAtIndex(ADDRESS, values.length, MemorySegment.NULL);
        return array;
    }

    /** A downcall returning an int; a negative result becomes minus the captured errno. */
    private interface IntCall {
        int call() throws Throwable;
    }

    private interface LongCall {
        long call() throws Throwable;
    }

    private static int call(String name, MemorySegment state, IntCall c) {
        return (int) callLong(name, state, c::call);
    }

    private static long callLong(String name, MemorySegment state, LongCall c) {
        long r;
        try {
            r = c.call();
        } catch (Throwable t) {
            throw new IllegalStateException(name + "() could not be called through FFM", t);
        }
        return r < 0 ? -errno(state) : r;
    }

    /** The process's effective user id. */
    static int geteuid() {
        return id(GETEUID, "geteuid");
    }

    /** The process's effective group id. */
    static int getegid() {
        return id(GETEGID, "getegid");
    }

    private static int id(MethodHandle call, String name) {
        try {
            return (int) call.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(name + "() could not be called through FFM", t);
        }
    }

    /** The C library's text for an errno, e.g. "No such file or directory". */
    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw new IllegalStateException("strerror() could not be called through FFM", t);
        }
    }
}
