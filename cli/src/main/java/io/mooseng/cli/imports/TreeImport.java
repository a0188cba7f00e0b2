package io.mooseng.cli.imports;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.object.ObjectReader;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.object.ObjectWriter;
import io.mooseng.fuse.XattrValue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * Copies a local tree (a mounted MooseFS, or any folder) into a bucket or a directory of the
 * namespace, as the mount would have made it: directories, regular files, symlinks, hard links,
 * FIFOs, sockets and device files, with their modes, owners, times and user.* xattrs.
 *
 * <p>Files go {@code parallel} at a time, each streamed through a buffer of its own (memory:
 * parallel x 1 MiB here, plus the data path's own budget). A file whose entry already exists
 * with the source's size and modification time is skipped, so a run that was interrupted is
 * resumed by running it again; a file that differs is replaced. With {@code verify}, each
 * file is read back from the cluster after it is written and its MD5 compared with the
 * source's (computed while reading it for the upload). Hard links are made once every file
 * is in; directories get their attributes last, deepest first, since creating their entries
 * changes their times.
 */
public final class TreeImport {
    private static final int BUFFER_BYTES = 1 << 20;

    private final ObjectService objects;
    private final String bucket;
    /** "" for the bucket's root, else the target directory's key with a trailing '/'. */
    private final String prefix;
    private final Path source;
    private final int parallel;
    private final boolean verify;
    private final LongSupplier clock;
    private final ImportReport report;

    private final List<Directory> directories = new ArrayList<>();
    /** The first key imported of each inode with several links, by "dev:ino". */
    private final Map<String, CompletableFuture<String>> linkTargets = new ConcurrentHashMap<>();
    private final List<PendingLink> pendingLinks = new ArrayList<>();

    private record Directory(String key, Map<String, Object> unix, Map<String, String> xattrs) {
    }

    private record PendingLink(String inode, String key, Path file) {
    }

    /**
     * @param target the directory of {@code bucket} to import into ("" or null for its root)
     */
    public TreeImport(ObjectService objects, String bucket, String target, Path source, int parallel, boolean verify, LongSupplier clock,
                      ImportReport report) {
        this.objects = objects;
        this.bucket = bucket;
        String t = target == null ? "" : target.replaceAll("^/+|/+$", "");
        this.prefix = t.isEmpty() ? "" : t + "/";
        this.source = source;
        this.parallel = parallel;
        this.verify = verify;
        this.clock = clock;
        this.report = report;
    }

    /** Counts what the tree holds (files and bytes), for progress; unreadable parts are counted when imported. */
    public static long[] measure(Path source) throws IOException {
        long[] totals = new long[2];
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                totals[0]++;
                totals[1] += attrs.isRegularFile() ? attrs.size() : 0;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return totals;
    }

    /** Imports the whole tree; failures of single entries are in the report, not thrown. */
    public void run() throws IOException, InterruptedException {
        Semaphore slots = new Semaphore(parallel);
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (dir.equals(source) && prefix.isEmpty()) {
                        return FileVisitResult.CONTINUE; // the bucket itself
                    }
                    String key = keyOf(dir) + "/";
                    try {
                        Map<String, Object> unix = unix(dir);
                        createEntry(key, new byte[0], unix, Map.of());
                        directories.add(new Directory(key, unix, xattrs(dir)));
                        report.directory();
                        return FileVisitResult.CONTINUE;
                    } catch (RuntimeException | IOException e) {
                        report.failed(relative(dir), e);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    try {
                        slots.acquire();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return FileVisitResult.TERMINATE;
                    }
                    workers.execute(() -> {
                        try {
                            importEntry(file);
                        } catch (Exception | Error e) {
                            report.failed(relative(file), e);
                        } finally {
                            slots.release();
                        }
                    });
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    report.failed(relative(file), e);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        for (PendingLink link : pendingLinks) {
            try {
                makeLink(link);
            } catch (Exception e) {
                report.failed(relative(link.file()), e);
            }
        }
        for (int i = directories.size() - 1; i >= 0; i--) {
            Directory d = directories.get(i);
            try {
                NamespaceEntry entry = objects.lookup(bucket, d.key()).join();
                objects.updateInode(bucket, entry.inode(), attributes(d.unix(), d.xattrs()), d.key()).join();
            } catch (RuntimeException e) {
                report.failed(d.key(), e);
            }
        }
    }

    private void importEntry(Path file) throws Exception {
        Map<String, Object> unix = unix(file);
        String key = keyOf(file);
        PosixAttributes posix = posix(unix);
        int type = posix.mode() & PosixAttributes.S_IFMT;
        if (type == PosixAttributes.S_IFREG && (Integer) unix.get("nlink") > 1) {
            String inode = unix.get("dev") + ":" + unix.get("ino");
            CompletableFuture<String> first = new CompletableFuture<>();
            CompletableFuture<String> known = linkTargets.putIfAbsent(inode, first);
            if (known != null) {
                synchronized (pendingLinks) {
                    pendingLinks.add(new PendingLink(inode, key, file));
                }
                return;
            }
            try {
                importFile(file, key, unix, posix);
                first.complete(key);
            } catch (Exception e) {
                first.completeExceptionally(e);
                throw e;
            }
            return;
        }
        switch (type) {
            case PosixAttributes.S_IFREG -> importFile(file, key, unix, posix);
            case PosixAttributes.S_IFLNK -> {
                byte[] target = Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8);
                if (createEntry(key, target, unix, Map.of())) {
                    report.symlink();
                }
            }
            default -> {
                // no xattrs: reading them opens the file, which blocks on a FIFO and may not be allowed on a device
                if (createEntry(key, new byte[0], unix, Map.of())) {
                    report.special();
                }
            }
        }
    }

    private void importFile(Path file, String key, Map<String, Object> unix, PosixAttributes posix) throws Exception {
        long size = (Long) unix.get("size");
        long mtime = mtime(unix);
        NamespaceEntry existing = lookup(key);
        if (existing != null && !existing.directory() && existing.manifest() != null && existing.manifest().size() == size
                && existing.manifest().mtimeMillis() == mtime) {
            report.skipped(size);
            return;
        }
        MessageDigest md5 = md5();
        ObjectWriter<ObjectManifest> writer = objects.openContentWrite(bucket, key).join();
        ObjectManifest content;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
            while (in.read(buffer) >= 0) {
                buffer.flip();
                md5.update(buffer.duplicate());
                int n = buffer.remaining();
                writer.write(buffer).join();
                report.bytes(n);
                buffer.clear();
            }
            content = writer.complete(null).join();
        } catch (Exception | Error e) {
            writer.abort();
            throw e;
        }
        String sourceMd5 = HexFormat.of().formatHex(md5.digest());
        ObjectManifest stored = content.withAttributes(mtime, ObjectProperties.EMPTY.withUserMetadata(xattrs(file)), posix);
        if (existing != null) {
            objects.unlink(bucket, key, existing.directory()).join();
        }
        ObjectInfo info = objects.createEntry(bucket, key, stored, 0).join();
        if (verify) {
            String readBack = readBackMd5(info);
            if (!readBack.equals(sourceMd5)) {
                throw new IOException("read back with MD5 " + readBack + ", the source has " + sourceMd5);
            }
            report.verified();
        }
        report.file();
    }

    private String readBackMd5(ObjectInfo info) {
        MessageDigest md5 = md5();
        try (ObjectReader reader = objects.openRead(info, 0, info.manifest().size()).join()) {
            for (LentBytes b = reader.read().join(); b != null; b = reader.read().join()) {
                try {
                    md5.update(b.bytes());
                } finally {
                    b.release();
                }
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private void makeLink(PendingLink link) {
        String target = linkTargets.get(link.inode()).join();
        try {
            objects.link(bucket, target, link.key()).join();
            report.hardLink();
        } catch (RuntimeException e) {
            if (MooseException.of(e).code() != ErrorCode.ALREADY_EXISTS) {
                throw e;
            }
            report.skipped(0); // made by an earlier run
        }
    }

    /** Creates a directory, symlink or special file with the source's times; false when it was there already. */
    private boolean createEntry(String key, byte[] content, Map<String, Object> unix, Map<String, String> xattrs) {
        PosixAttributes posix = posix(unix);
        try {
            ObjectManifest m = objects.entryManifest(bucket, key, content, posix).join();
            objects.createEntry(bucket, key, m.withAttributes(mtime(unix), ObjectProperties.EMPTY.withUserMetadata(xattrs), posix), 0).join();
            return true;
        } catch (RuntimeException e) {
            if (MooseException.of(e).code() != ErrorCode.ALREADY_EXISTS) {
                throw e;
            }
            if (!posix.directory()) {
                report.skipped(0);
            }
            return false;
        }
    }

    private NamespaceEntry lookup(String key) {
        try {
            return objects.lookup(bucket, key).join();
        } catch (RuntimeException e) {
            if (MooseException.of(e).code() == ErrorCode.NO_SUCH_KEY) {
                return null;
            }
            throw e;
        }
    }

    private InodeUpdate attributes(Map<String, Object> unix, Map<String, String> xattrs) {
        PosixAttributes p = posix(unix);
        return new InodeUpdate(null, p.mode() & PosixAttributes.PERMISSION_BITS, p.uid(), p.gid(),
                mtime(unix), p.atimeMillis(), xattrs.isEmpty() ? null : xattrs, clock.getAsLong());
    }

    private static long mtime(Map<String, Object> unix) {
        return ((FileTime) unix.get("lastModifiedTime")).toMillis();
    }

    private PosixAttributes posix(Map<String, Object> unix) {
        return new PosixAttributes((Integer) unix.get("mode"), (Integer) unix.get("uid"), (Integer) unix.get("gid"), 1, clock.getAsLong(),
                ((FileTime) unix.get("lastAccessTime")).toMillis(), ((Long) unix.get("rdev")).intValue());
    }

    private static Map<String, Object> unix(Path p) throws IOException {
        return Files.readAttributes(p, "unix:mode,uid,gid,ino,dev,nlink,rdev,size,lastModifiedTime,lastAccessTime", LinkOption.NOFOLLOW_LINKS);
    }

    /** The user.* extended attributes of a file or directory (what the mount keeps, as S3 user metadata). */
    private static Map<String, String> xattrs(Path p) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>();
        try {
            for (String name : view.list()) {
                ByteBuffer value = ByteBuffer.allocate(view.size(name));
                view.read(name, value);
                out.put(name, XattrValue.toText(value.array()));
            }
        } catch (UnsupportedOperationException e) {
            return Map.of(); // a file system without xattrs
        }
        return out;
    }

    private String keyOf(Path p) {
        String rel = relative(p);
        return rel.isEmpty() ? prefix.replaceAll("/$", "") : prefix + rel;
    }

    private String relative(Path p) {
        return source.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
