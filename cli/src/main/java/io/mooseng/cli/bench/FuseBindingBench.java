package io.mooseng.cli.bench;

import io.mooseng.fuse.kernel.Attr;
import io.mooseng.fuse.kernel.AttrReply;
import io.mooseng.fuse.kernel.DirectoryFill;
import io.mooseng.fuse.kernel.Entry;
import io.mooseng.fuse.kernel.Errno;
import io.mooseng.fuse.kernel.FuseException;
import io.mooseng.fuse.kernel.FuseFilesystem;
import io.mooseng.fuse.kernel.FuseRequest;
import io.mooseng.fuse.kernel.FuseSession;
import io.mooseng.fuse.kernel.MountOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code mooseng bench fuse-binding}: the round trip of one FUSE upcall through the binding,
 * with nothing behind it: a filesystem of one file whose attributes the kernel may not cache,
 * so that every stat(2) is one GETATTR. {@code --file} times the same loop on another mount
 * (libfuse's C example, say), for a side-by-side figure.
 */
@Command(name = "fuse-binding", mixinStandardHelpOptions = true,
        description = "GETATTR round trips of a do-nothing FUSE filesystem (needs root and /dev/fuse).")
public final class FuseBindingBench implements Callable<Integer> {
    private static final long ENTRY_TTL_NANOS = 1_000_000_000L;
    private static final long FILE_NODE = 2;
    private static final String FILE_NAME = "hello";

    @Option(names = "--count", defaultValue = "200000", description = "stat calls per round (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--file", description = "Time stat(2) of this file of another mount instead of mounting our own.")
    Path file;

    @Option(names = "--threads", defaultValue = "16", description = "The session's most threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--default-permissions", description = "Mount with default_permissions: the kernel checks modes,"
            + " which costs a GETATTR of the root per stat here.")
    boolean defaultPermissions;

    @Option(names = "--serve-seconds", defaultValue = "0",
            description = "Only mount, print the file's path and serve it this long (for an outside load generator).")
    int serveSeconds;

    @Override
    public Integer call() throws Exception {
        if (file != null) {
            run(file);
            return 0;
        }
        Path dir = Files.createTempDirectory("mooseng-fuse-binding-");
        try (FuseSession session = FuseSession.mount(new OneFile(), dir, MountOptions.defaults("mooseng-bench", "mooseng")
                .withMaxThreads(threads).withDefaultPermissions(defaultPermissions))) {
            if (serveSeconds > 0) {
                System.out.println(dir.resolve(FILE_NAME));
                Thread.sleep(serveSeconds * 1000L);
            } else {
                run(dir.resolve(FILE_NAME));
            }
        } finally {
            Files.deleteIfExists(dir);
        }
        return 0;
    }

    private void run(Path f) throws Exception {
        System.out.printf("stat(2) of %s, %,d calls per round, one thread%n%n", f, count);
        System.out.println("| round | calls/s | p50 us | p99 us |\n|---|---|---|---|");
        long[] nanos = new long[count];
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long s = System.nanoTime();
                Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                nanos[i] = System.nanoTime() - s;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Arrays.sort(nanos);
            System.out.printf("| %d | %,.0f | %.1f | %.1f |%n", round, count / seconds, nanos[count / 2] / 1e3,
                    nanos[(int) (count * 0.99)] / 1e3);
        }
    }

    /** A root directory holding one empty file; attributes are never cached by the kernel. */
    private static final class OneFile implements FuseFilesystem {
        private static final Attr ROOT = new Attr(1, 0, 0, 0, 0, 0, 0040755, 2, 0, 0, 0, 4096);
        private static final Attr FILE = new Attr(FILE_NODE, 0, 0, 0, 0, 0, 0100444, 1, 0, 0, 0, 4096);

        @Override
        public Entry lookup(FuseRequest r, long parent, String name) {
            if (parent != 1 || !name.equals(FILE_NAME)) {
                throw new FuseException(Errno.ENOENT, name);
            }
            return new Entry(FILE_NODE, FILE, ENTRY_TTL_NANOS, 0);
        }

        @Override
        public AttrReply getattr(FuseRequest r, long nodeid, long fh) {
            return new AttrReply(nodeid == 1 ? ROOT : FILE, 0);
        }

        @Override
        public void readdir(FuseRequest r, long nodeid, long fh, long offset, DirectoryFill fill) {
            if (offset == 0) {
                fill.add(FILE_NAME, new Entry(FILE_NODE, FILE, ENTRY_TTL_NANOS, 0), 1);
            }
        }
    }
}
