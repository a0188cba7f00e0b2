package io.mooseng.fuse.kernel;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Mounting without root, as libfuse does it: fusermount3 (set-user-ID root, Debian's
 * fuse3) opens /dev/fuse, mounts it and passes the descriptor back over a socket pair
 * whose end it finds in {@code _FUSE_COMMFD} (SCM_RIGHTS).
 */
final class Fusermount {
    static final String PROGRAM = "fusermount3";
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    /** struct msghdr on x86-64 Linux. */
    private static final int MSGHDR = 56;
    /** CMSG_SPACE(sizeof(int)). */
    private static final int CONTROL = 24;

    private Fusermount() {
    }

    /** Mounts {@code target} with {@code options}; @return the /dev/fuse descriptor of the mount */
    static int mount(Path target, String options) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(a);
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            if (Libc.socketpair(state, fds) < 0) {
                throw new IOException("socketpair failed");
            }
            int theirs = fds.getAtIndex(JAVA_INT, 0);
            int ours = fds.getAtIndex(JAVA_INT, 1);
            try {
                List<String> env = new ArrayList<>();
                for (Map.Entry<String, String> e : System.getenv().entrySet()) {
                    env.add(e.getKey() + "=" + e.getValue());
                }
                env.add("_FUSE_COMMFD=" + theirs);
                int pid = Libc.spawn(new String[]{PROGRAM, "-o", options, "--", target.toString()}, env.toArray(String[]::new));
                if (pid < 0) {
                    throw new IOException("cannot start " + PROGRAM + " (Debian package fuse3): " + Libc.strerror(-pid));
                }
                Libc.close(state, theirs);
                theirs = -1;
                int fd = receiveFd(state, a, ours);
                MemorySegment status = a.allocate(JAVA_INT);
                Libc.waitpid(state, pid, status);
                if (fd < 0) {
                    throw new IOException(PROGRAM + " could not mount " + target + " (exit status "
                            + (status.get(JAVA_INT, 0) >> 8) + "; its message is above)");
                }
                Libc.closeOnExec(state, fd);
                return fd;
            } finally {
                if (theirs >= 0) {
                    Libc.close(state, theirs);
                }
                Libc.close(state, ours);
            }
        }
    }

    /** The descriptor sent over {@code socket}, or -1 if none came (fusermount3 failed). */
    private static int receiveFd(MemorySegment state, Arena a, int socket) {
        MemorySegment data = a.allocate(1);
        MemorySegment iov = a.allocate(16);
        iov.set(ADDRESS, 0, data);
        iov.set(JAVA_LONG, 8, 1);
        MemorySegment control = a.allocate(CONTROL, 8);
        MemorySegment msg = a.allocate(MSGHDR, 8);
        msg.set(ADDRESS, 16, iov);
        msg.set(JAVA_LONG, 24, 1);
        msg.set(ADDRESS, 32, control);
        msg.set(JAVA_LONG, 40, CONTROL);
        long n;
        do {
            n = Libc.recvmsg(state, socket, msg);
        } while (n == -Errno.EINTR);
        if (n <= 0 || msg.get(JAVA_LONG, 40) < 20 || control.get(JAVA_INT, 8) != SOL_SOCKET || control.get(JAVA_INT, 12) != SCM_RIGHTS) {
            return -1;
        }
        return control.get(JAVA_INT, 16);
    }

    /** Unmounts a mount made by fusermount3 (lazily if it is busy); @return whether it is gone */
    static boolean unmount(Path target) {
        return run(PROGRAM, "-u", "-q", target.toString()) || run(PROGRAM, "-u", "-q", "-z", target.toString());
    }

    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
