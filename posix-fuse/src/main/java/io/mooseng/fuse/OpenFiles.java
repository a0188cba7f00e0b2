package io.mooseng.fuse;

import io.mooseng.core.file.FileService;
import io.mooseng.core.file.OpenFile;
import io.mooseng.fuse.kernel.Errno;
import io.mooseng.fuse.kernel.FuseException;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.object.ObjectService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The files open in this mount: one {@link OpenFile} of the file API per inode however many
 * handles it has; a handle is its inode.
 */
final class OpenFiles {
    private static final Logger LOG = LoggerFactory.getLogger(OpenFiles.class);
    private static final int KERNEL_PAGES_FILES = 65_536;
    private final Map<Long, OpenFile> byInode = new HashMap<>();
    /** The kernel's handles of each open file (FUSE open/create count one, release one less). */
    private final Map<Long, Integer> handles = new HashMap<>();
    private final FileService fileService;
    /**
     * The content each file's pages in the kernel were filled from: its committed content when
     * its last handle closed (the kernel's pages follow this mount's own writes). Bounded: a
     * file forgotten here just has its pages dropped at its next open.
     */
    private final Map<Long, ObjectManifest> kernelPages = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ObjectManifest> eldest) {
            return size() > KERNEL_PAGES_FILES;
        }
    };

    OpenFiles(ObjectService objects, MountConfig config, LongSupplier clock) {
        this.fileService = new FileService(objects, config.pageCacheBytes(), config.stagingDir(), clock, config.readAheadBlocks());
    }

    synchronized OpenFile acquire(FusePath path, NamespaceEntry entry) {
        OpenFile f = byInode.computeIfAbsent(entry.inode(), id -> fileService.open(path.bucket(), path.key(), id, entry.manifest()));
        handles.merge(f.inode(), 1, Integer::sum);
        return f;
    }

    /** Where an open file was opened or last moved to in this mount. */
    static FusePath path(OpenFile f) {
        return new FusePath(f.bucket(), f.key());
    }

    /**
     * Whether the kernel may keep its pages of a file just opened (FOPEN_KEEP_CACHE): no other
     * handle has it open and its content is the one those pages were filled from.
     */
    synchronized boolean kernelPagesCurrent(OpenFile f, ObjectManifest opened) {
        ObjectManifest filled = kernelPages.get(f.inode());
        return handles.getOrDefault(f.inode(), 0) == 1 && filled != null && OpenFile.sameContent(filled, opened);
    }

    /** Another client changed the file (or changes were missed: {@code inode} 0 for all): its kernel pages are not kept at the next open. */
    synchronized void changedElsewhere(long inode) {
        if (inode == 0) {
            kernelPages.clear();
        } else {
            kernelPages.remove(inode);
        }
    }

    /** @throws FuseException EBADF for a handle that is not open */
    synchronized OpenFile handle(long fh) {
        OpenFile f = byInode.get(fh);
        if (f == null) {
            throw new FuseException(Errno.EBADF, "no open file " + fh);
        }
        return f;
    }

    /** The open file of an inode, or null. */
    synchronized OpenFile find(long inode) {
        return byInode.get(inode);
    }

    /**
     * The kernel forgot the inode, and its pages went with it: nothing to keep for them (what is
     * kept holds a file's manifest, small files' content included).
     */
    synchronized void kernelDropped(long inode) {
        kernelPages.remove(inode);
    }

    /** Drops a handle; the last one flushes and closes the file. */
    void release(OpenFile f) {
        synchronized (this) {
            if (handles.merge(f.inode(), -1, Integer::sum) > 0) {
                return;
            }
        }
        try {
            f.flush();
        } finally {
            synchronized (this) {
                if (handles.getOrDefault(f.inode(), 0) == 0 && byInode.remove(f.inode(), f)) {
                    handles.remove(f.inode());
                    f.close();
                    if (f.dirty()) {
                        kernelPages.remove(f.inode());
                    } else {
                        kernelPages.put(f.inode(), f.entry().manifest());
                    }
                }
            }
        }
    }

    /** Sends the creation of every file created in {@code dir} (or under it) whose creation waits for its first commit. */
    void materializeUnder(FusePath dir) {
        for (OpenFile f : snapshot()) {
            if (f.uncreated() && path(f).isUnder(dir)) {
                f.materialize();
            }
        }
    }

    /** The leases were taken: files whose creation was not sent never will be (their commit fails). */
    void abandonCreations() {
        for (OpenFile f : snapshot()) {
            if (f.uncreated()) {
                f.createOnCommit(m -> {
                    throw new FuseException(Errno.EIO, "created under a directory lease the masters took; not stored");
                });
            }
        }
    }

    private synchronized List<OpenFile> snapshot() {
        return new ArrayList<>(byInode.values());
    }

    /** Flushes every open file (unmount); one that fails is logged and the others still go. */
    void flushAll() {
        for (OpenFile f : snapshot()) {
            try {
                f.flush();
            } catch (RuntimeException e) {
                LOG.warn("unmount: could not commit inode {}: {}", f.inode(), e.getMessage());
            }
        }
    }
}
