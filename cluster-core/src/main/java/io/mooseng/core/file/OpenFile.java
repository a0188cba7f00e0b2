package io.mooseng.core.file;

import io.mooseng.core.chunk.ReadsOnCaller;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.Failures;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ETags;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.object.BlockStarts;
import io.mooseng.core.object.ObjectReader;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.object.ObjectWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The content of one open file (an inode), shared by all its handles; opened by a
 * {@link FileService}. Blocks are
 * immutable, so content changes are new blocks committed to the inode on flush:
 * <ul>
 *   <li>clean: reads come from the committed blocks, sequential ones through a read-ahead stream;</li>
 *   <li>streaming: a file written from offset 0 onwards (create, O_TRUNC, cp) goes straight
 *       into block writers, with no metadata call until flush; so does a file written at its
 *       end (O_APPEND, logs): its blocks but the last are kept, the last is rewritten with the
 *       new bytes after it, and the commit fails (EIO) if another client replaced the kept ones;</li>
 *   <li>patched: a write into the existing bytes of a file of several blocks rewrites copies of
 *       just the blocks it touches, in memory ({@link BlockPatches}, up to {@value #MAX_PATCHED_BLOCKS}
 *       blocks); flush commits them as new blocks in their places, under the same condition;</li>
 *   <li>staged: any other write (at an offset, into existing content, a truncate) first copies
 *       the content into a local staging file, where reads and writes go until the last close;
 *       flush uploads the staged file as new blocks.</li>
 * </ul>
 * Every method is called under the file's lock (FUSE calls arrive on many threads), and
 * blocks until the cluster answered. Failures are {@link MooseException}s (a local staging
 * file that cannot be written is NO_SPACE or INTERNAL).
 */
public final class OpenFile {
    private static final int COPY_CHUNK = 1 << 20;
    /**
     * Reads this close to the previous one count as sequential when two come in a row (the kernel
     * reorders its read-ahead); one alone is as likely a random read landing near the last.
     */
    private static final long SEQUENTIAL_WINDOW = 2 << 20;
    /** Patched blocks held in memory (4 MiB each) before the file is staged on disk instead. */
    public static final int MAX_PATCHED_BLOCKS = 16;

    private final ObjectService objects;
    private final Path stagingDir;
    private final LongSupplier clock;
    private final int readAheadBlocks;
    private final String bucket;
    private final long inode;
    private String key;
    private ObjectManifest base;
    private long size;
    private boolean dirty;
    private ObjectWriter<ObjectManifest> stream;
    /** While appending: how many of base's blocks come before the stream's. */
    private int keptBlocks;
    private BlockPatches patches;
    private FileChannel staged;
    private BlockCache blocks;
    private final PageCache pages;
    /** Where base's blocks start, for the page cache (computed for the block list {@link #startsOf}). */
    private BlockStarts starts;
    private List<BlockRef> startsOf;
    private long lastReadEnd = -1;
    /** Reads in a row that landed within {@link #SEQUENTIAL_WINDOW} of the one before. */
    private int nearReads;
    /** An mtime set (utimens) after the last write: the content committed at close keeps it. */
    private Long mtimeSet;
    /** When the last write or truncate not yet committed happened (its mtime and ctime), else 0. */
    private long changedMillis;
    /**
     * A file created in a leased directory whose creation is not sent yet: its first commit
     * creates it, content and all, in one command (see {@link #createOnCommit}); else null.
     */
    private UnaryOperator<ObjectManifest> create;
    private boolean unlinkedUncreated;

    OpenFile(ObjectService objects, PageCache pages, Path stagingDir, LongSupplier clock, int readAheadBlocks, String bucket,
             String key, long inode, ObjectManifest base) {
        this.objects = objects;
        this.pages = pages;
        this.readAheadBlocks = readAheadBlocks;
        this.stagingDir = stagingDir;
        this.clock = clock;
        this.bucket = bucket;
        this.key = key;
        this.inode = inode;
        this.base = base;
        this.size = base.size();
    }

    public long inode() {
        return inode;
    }

    /** The file as last committed through it (or seen at open). */
    public synchronized NamespaceEntry entry() {
        return new NamespaceEntry("", inode, false, base);
    }

    /** A file is at most as large as an S3 object; beyond, writes and truncates fail as on a full-sized disk file. */
    private static void checkSize(long newSize) {
        if (newSize > ObjectManifest.MAX_SIZE) {
            throw new MooseException(ErrorCode.ENTITY_TOO_LARGE, "a file grows to at most " + ObjectManifest.MAX_SIZE + " bytes");
        }
    }

    /**
     * The file is new and not yet known to the masters: its first commit sends {@code create}
     * the manifest to create it with (the content's, or the empty one), which answers what the
     * masters will hold.
     */
    public synchronized void createOnCommit(UnaryOperator<ObjectManifest> create) {
        this.create = create;
    }

    /** Whether the file still waits for its creation to be sent. */
    public synchronized boolean uncreated() {
        return create != null;
    }

    /** Sends the file's creation now, with the content committed so far (none): other changes to it must follow it. */
    public synchronized void materialize() {
        if (create != null) {
            UnaryOperator<ObjectManifest> c = create;
            create = null;
            base = c.apply(base);
        }
    }

    /** The file was unlinked before its creation was sent: it never reaches the masters, and its content goes with it. */
    public synchronized void neverCreated() {
        create = null;
        unlinkedUncreated = true;
    }

    /** One of the file's names was removed (unlink, or a rename over it): fstat counts one link less. */
    public synchronized void unlinked(long changedMillis) {
        PosixAttributes posix = base.posix();
        if (posix != null) {
            base = base.withAttributes(base.mtimeMillis(), base.properties(),
                    posix.withLinks(Math.max(0, posix.nlink() - 1)).changedAt(changedMillis));
        }
    }

    /** When the content not yet committed was last changed, or 0. */
    public synchronized long changedMillis() {
        return dirty ? changedMillis : 0;
    }

    public synchronized long size() {
        return size;
    }

    public synchronized boolean dirty() {
        return dirty;
    }

    public String bucket() {
        return bucket;
    }

    /** The key the file was opened by or last moved to. */
    public synchronized String key() {
        return key;
    }

    /** The key the file was moved to (names new blocks' storage class, and its creation if not sent yet). */
    public synchronized void renamed(String newKey) {
        key = newKey;
    }

    /** Reads at most {@code into.remaining()} bytes at {@code offset}; @return how many (0 at or past the end) */
    public synchronized int read(ByteBuffer into, long offset) {
        int want = (int) Math.min(into.remaining(), Math.max(0, size - offset));
        if (want == 0) {
            return 0;
        }
        if (stream != null) {
            stage();
        }
        if (staged != null) {
            return readStaged(into, offset, want);
        }
        if (base.inline()) {
            into.put(base.inlineData(), (int) offset, want);
            return want;
        }
        if (patches != null) {
            patches.read(into, offset, want, this::readCommitted);
            return want;
        }
        return readCommitted(into, offset, want);
    }

    /**
     * Reads committed content: through the block cache when sequential (or when a random read
     * finds its blocks there), else through the shared page cache, or by exact range without one.
     */
    private int readCommitted(ByteBuffer into, long offset, int want) {
        int n;
        nearReads = lastReadEnd >= 0 && Math.abs(offset - lastReadEnd) <= SEQUENTIAL_WINDOW ? nearReads + 1 : 0;
        boolean sequential = offset == 0 || offset == lastReadEnd || nearReads >= 2;
        if (sequential || (blocks != null && blocks.holds(offset, want))) {
            if (blocks == null) {
                blocks = new BlockCache(objects, info(), readAheadBlocks);
            }
            n = blocks.read(into, offset, want, sequential);
        } else if (pages.enabled()) {
            n = readPaged(into, offset, want);
        } else {
            n = readRange(into, offset, want);
        }
        lastReadEnd = offset + n;
        return n;
    }

    /**
     * A random read through the page cache: what it keeps is copied out; from the first page it
     * misses to the read's last page in that block, one exact range read whose pages it keeps.
     */
    private int readPaged(ByteBuffer into, long offset, int want) {
        List<BlockRef> refs = base.blocks();
        if (starts == null || startsOf != refs) {
            starts = new BlockStarts(refs);
            startsOf = refs;
        }
        int n = 0;
        while (n < want) {
            int i = starts.blockOf(offset + n);
            BlockRef block = refs.get(i);
            long from = offset + n - starts.start(i);
            int page = (int) (from / PageCache.PAGE_BYTES);
            long pageStart = (long) page * PageCache.PAGE_BYTES;
            int inPage = (int) Math.min(want - n, Math.min(block.length(), pageStart + PageCache.PAGE_BYTES) - from);
            if (pages.read(block.id(), page, (int) (from - pageStart), into, inPage)) {
                n += inPage;
                continue;
            }
            long to = Math.min(block.length(), from + want - n);
            long fetchTo = Math.min(block.length(), Math.ceilDiv(to, PageCache.PAGE_BYTES) * PageCache.PAGE_BYTES);
            ByteBuffer fetched = fetch(starts.start(i) + pageStart, (int) (fetchTo - pageStart));
            for (long at = 0; pageStart + at < fetchTo; at += PageCache.PAGE_BYTES) {
                int length = (int) Math.min(PageCache.PAGE_BYTES, fetchTo - pageStart - at);
                pages.put(block.id(), page + (int) (at / PageCache.PAGE_BYTES), fetched.slice((int) at, length));
            }
            into.put(fetched.slice((int) (from - pageStart), (int) (to - from)));
            n += (int) (to - from);
        }
        return n;
    }

    /**
     * An exact range as one buffer: the reader's own when the range comes in one piece of
     * memory nobody reuses. Read on this thread ({@link ReadsOnCaller}), which waits for it anyway.
     */
    private ByteBuffer fetch(long offset, int length) {
        return ReadsOnCaller.call(() -> fetchRange(offset, length));
    }

    private ByteBuffer fetchRange(long offset, int length) {
        try (ObjectReader r = await(objects.openRead(info(), offset, length))) {
            LentBytes first = await(r.read());
            if (first != null && first.length() == length && !first.isLent()) {
                return first.bytes();
            }
            ByteBuffer all = ByteBuffer.allocate(length);
            int n = drain(r, first, all);
            if (n < length) {
                throw new MooseException(ErrorCode.INTERNAL, "read " + n + " of " + length + " bytes at " + offset);
            }
            return all.flip();
        }
    }

    private int readRange(ByteBuffer into, long offset, int length) {
        return ReadsOnCaller.call(() -> {
            try (ObjectReader r = await(objects.openRead(info(), offset, length))) {
                return drain(r, await(r.read()), into);
            }
        });
    }

    /** Copies {@code first} and the rest of what the reader gives into {@code into}, releasing each; @return how many bytes */
    private static int drain(ObjectReader r, LentBytes first, ByteBuffer into) {
        int n = 0;
        for (LentBytes b = first; b != null; b = await(r.read())) {
            try {
                n += b.length();
                into.put(b.bytes());
            } finally {
                b.release();
            }
        }
        return n;
    }

    /** futimens on a file being written (cp -a, tar): the next commit carries this mtime. */
    public synchronized void mtimeSet(long millis) {
        if (dirty) {
            mtimeSet = millis;
        }
    }

    /** @return the bytes written: all of them, or fewer when the staging folder filled up midway */
    public synchronized int write(ByteBuffer data, long offset, boolean append) {
        if (base.encryption() != null && size > 0) {
            // its content is ciphertext the file API holds no key for: only a whole new content (O_TRUNC) replaces it
            throw new MooseException(ErrorCode.ENCRYPTION_KEY_REQUIRED, "the file is encrypted at rest: change it through an S3 gateway");
        }
        mtimeSet = null;
        long at = append ? size : offset;
        int n = data.remaining();
        checkSize(at + n);
        changedMillis = clock.getAsLong();
        if (staged == null && stream == null && patches == null && at == size) {
            if (size == 0) {
                stream = await(objects.openContentWrite(bucket, key));
            } else if (size == base.size()) {
                startAppend();
            }
        }
        if (stream != null && at == size) {
            await(stream.write(data));
            size += n;
            dirty = true;
            return n;
        }
        if (staged == null && stream == null && size == base.size() && BlockPatches.suits(base)) {
            if (patches == null) {
                patches = new BlockPatches(base, MAX_PATCHED_BLOCKS);
            }
            if (patches.fits(at, n)) {
                patches.write(data, at, this::loadCommitted);
                dirty = true;
                return n;
            }
        }
        stage();
        long start = at;
        try {
            while (data.hasRemaining()) {
                at += staged.write(data, at);
            }
        } catch (IOException e) {
            if (at == start) {
                throw stagingFailed(e);
            }
            // a short write, as a full local disk gives; the caller's next write gets the error
        }
        size = Math.max(size, at);
        dirty = true;
        return (int) (at - start);
    }

    public synchronized void truncate(long newSize) {
        if (newSize == size) {
            return;
        }
        checkSize(newSize);
        changedMillis = clock.getAsLong();
        if (newSize == 0 && staged == null) {
            patches = null;
            if (stream != null) {
                await(abortStream());
            }
        } else {
            stage();
            try {
                if (newSize < size) {
                    staged.truncate(newSize);
                } else {
                    staged.write(ByteBuffer.allocate(1), newSize - 1);
                }
            } catch (IOException e) {
                throw stagingFailed(e);
            }
        }
        dropReadCache();
        size = newSize;
        dirty = true;
    }

    /**
     * Commits written content to the inode (close, fsync); durable when it returns.
     *
     * @return the inode's manifest now, or null if nothing was written
     */
    public synchronized ObjectManifest flush() {
        if (!dirty && create != null) {
            materialize();
            return base;
        }
        if (!dirty || unlinkedUncreated) {
            dirty = false;
            return null;
        }
        ObjectManifest content;
        List<Integer> kept = new ArrayList<>();
        if (stream != null) {
            // a failed stream cannot be completed again: its error is reported once, here
            dirty = false;
            for (int i = 0; i < keptBlocks; i++) {
                kept.add(i);
            }
            content = finishStream();
        } else if (patches != null) {
            dirty = false;
            BlockPatches done = patches;
            patches = null;
            content = uploadPatches(done, kept);
        } else {
            ObjectWriter<ObjectManifest> w = await(objects.openContentWrite(bucket, key));
            if (staged != null) {
                upload(w);
            }
            content = await(w.complete(null));
        }
        // the content's times are those of its last change here, as the open file showed them
        content = content.withAttributes(mtimeSet != null ? mtimeSet : changedMillis, content.properties(), content.posix());
        mtimeSet = null;
        dirty = false;
        if (create != null) {
            UnaryOperator<ObjectManifest> c = create;
            create = null;
            base = c.apply(content);
            dropReadCache();
            return base;
        }
        InodeUpdate update = InodeUpdate.keeping(content, kept, changedMillis);
        try {
            base = await(objects.updateInode(bucket, inode, update, key));
            dropReadCache();
        } catch (RuntimeException e) {
            objects.reclaim(update.newBlocks());
            if (e instanceof MooseException m && (m.code() == ErrorCode.NO_SUCH_KEY || m.code() == ErrorCode.NO_SUCH_BUCKET)) {
                // unlinked while open: its content goes with it, as on a local disk
                return null;
            }
            throw e;
        }
        return base;
    }

    /** After the last handle closed and the content was flushed. */
    public synchronized void close() {
        dropReadCache();
        patches = null;
        if (stream != null) {
            abortStream();
        }
        if (staged != null) {
            try {
                staged.close();
            } catch (IOException ignored) {
                // deleted on close already
            }
            staged = null;
        }
    }

    /** Moves the content into a local staging file (deleted on close, and by the kernel if we die). */
    private void stage() {
        if (staged != null) {
            return;
        }
        ObjectManifest content = base;
        long length = Math.min(size, base.size());
        int kept = keptBlocks;
        if (stream != null) {
            content = finishStream();
            length = content.size();
        }
        try {
            Files.createDirectories(stagingDir);
            staged = FileChannel.open(Files.createTempFile(stagingDir, "inode-" + inode + "-", ".staged"),
                    StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
            if (length > 0) {
                download(content, length);
            }
            if (patches != null) {
                for (Map.Entry<Integer, byte[]> p : patches.blocks().entrySet()) {
                    ByteBuffer bytes = ByteBuffer.wrap(p.getValue());
                    for (long at = patches.start(p.getKey()); bytes.hasRemaining(); ) {
                        at += staged.write(bytes, at);
                    }
                }
                patches = null;
            }
        } catch (IOException e) {
            throw stagingFailed(e);
        } finally {
            if (content != base) {
                // written by the stream but never committed
                objects.reclaim(content.blocks().subList(kept, content.blocks().size()));
            }
        }
        dropReadCache();
    }

    /**
     * Appending at the end of committed content: its blocks but the last are kept, and the last
     * one's bytes go into a new stream ahead of what is written (one block read, not the file).
     */
    private void startAppend() {
        keptBlocks = base.inline() ? 0 : Math.max(0, base.blocks().size() - 1);
        long keptBytes = keptBytes();
        // behind kept blocks the new content must be blocks too; alone it may be inlined
        stream = await(objects.openContentWrite(bucket, key, keptBlocks == 0));
        if (size == keptBytes) {
            return;
        }
        try (ObjectReader r = await(objects.openRead(info(), keptBytes, size - keptBytes))) {
            for (LentBytes b = await(r.read()); b != null; b = await(r.read())) {
                try {
                    await(stream.write(b.bytes()));
                } finally {
                    b.release();
                }
            }
        } catch (RuntimeException e) {
            abortStream();
            throw e;
        }
    }

    private long keptBytes() {
        return base.blocks().subList(0, keptBlocks).stream().mapToLong(BlockRef::length).sum();
    }

    /** Drops the stream and what it wrote. */
    private CompletableFuture<Void> abortStream() {
        CompletableFuture<Void> aborted = stream.abort();
        stream = null;
        keptBlocks = 0;
        return aborted;
    }

    /** Completes the stream: the new content, behind the kept blocks when appending. */
    private ObjectManifest finishStream() {
        ObjectWriter<ObjectManifest> writing = stream;
        int kept = keptBlocks;
        long keptLength = keptBytes();
        stream = null;
        keptBlocks = 0;
        ObjectManifest tail = await(writing.complete(null));
        if (kept == 0) {
            return tail;
        }
        List<BlockRef> blocks = new ArrayList<>(base.blocks().subList(0, kept));
        blocks.addAll(tail.blocks());
        return new ObjectManifest(keptLength + tail.size(), ETags.composite(List.of(base.etag(), tail.etag()), blocks.size()),
                tail.mtimeMillis(), tail.properties(), tail.storageClass(), blocks, null, tail.classPinned());
    }

    /** The committed bytes of one block, to patch. */
    private byte[] loadCommitted(long offset, int length) {
        ByteBuffer into = ByteBuffer.allocate(length);
        readRange(into, offset, length);
        return into.array();
    }

    /**
     * Writes each patched block as new blocks and lays out the content: the others kept in
     * their places, whose positions go to {@code kept}.
     */
    private ObjectManifest uploadPatches(BlockPatches done, List<Integer> kept) {
        List<BlockRef> blocks = new ArrayList<>();
        List<BlockRef> written = new ArrayList<>();
        List<String> etags = new ArrayList<>(List.of(base.etag()));
        try {
            for (int i = 0; i < base.blocks().size(); i++) {
                byte[] bytes = done.blocks().get(i);
                if (bytes == null) {
                    kept.add(blocks.size());
                    blocks.add(base.blocks().get(i));
                    continue;
                }
                ObjectWriter<ObjectManifest> w = await(objects.openContentWrite(bucket, key, false));
                try {
                    await(w.write(ByteBuffer.wrap(bytes)));
                } catch (RuntimeException e) {
                    w.abort();
                    throw e;
                }
                ObjectManifest m = await(w.complete(null));
                written.addAll(m.blocks());
                blocks.addAll(m.blocks());
                etags.add(m.etag());
            }
        } catch (RuntimeException e) {
            objects.reclaim(written);
            throw e;
        }
        return new ObjectManifest(base.size(), ETags.composite(etags, blocks.size()), clock.getAsLong(),
                base.properties(), base.storageClass(), blocks, null, base.classPinned());
    }

    private void download(ObjectManifest content, long length) throws IOException {
        ObjectInfo from = new ObjectInfo(bucket, key, inode, content);
        try (ObjectReader r = await(objects.openRead(from, 0, length))) {
            long at = 0;
            for (LentBytes lent = await(r.read()); lent != null; lent = await(r.read())) {
                try {
                    ByteBuffer b = lent.bytes();
                    while (b.hasRemaining()) {
                        at += staged.write(b, at);
                    }
                } finally {
                    lent.release();
                }
            }
        }
    }

    private void upload(ObjectWriter<ObjectManifest> w) {
        ByteBuffer chunk = ByteBuffer.allocate(COPY_CHUNK);
        try {
            for (long at = 0; at < size; ) {
                chunk.clear().limit((int) Math.min(COPY_CHUNK, size - at));
                // the staged file is always exactly size bytes long (truncate writes its last byte)
                at += readFully(chunk, at);
                await(w.write(chunk.flip()));
            }
        } catch (IOException e) {
            w.abort();
            throw stagingFailed(e);
        }
    }

    private int readStaged(ByteBuffer into, long offset, int want) {
        ByteBuffer slice = into.slice().limit(want);
        try {
            readFully(slice, offset);
        } catch (IOException e) {
            throw stagingFailed(e);
        }
        into.position(into.position() + want);
        return want;
    }

    /** Fills {@code dst} from the staging file at {@code at}, stopping early only at its end. */
    private int readFully(ByteBuffer dst, long at) throws IOException {
        int n = 0;
        while (dst.hasRemaining()) {
            int r = staged.read(dst, at + n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    private ObjectInfo info() {
        return new ObjectInfo(bucket, key, inode, base);
    }

    private void dropReadCache() {
        blocks = null;
        lastReadEnd = -1;
        nearReads = 0;
    }

    private static MooseException stagingFailed(IOException e) {
        return new MooseException(Failures.isDiskFull(e) ? ErrorCode.NO_SPACE : ErrorCode.INTERNAL, "staging file: " + e);
    }

    /**
     * Whether two versions of a file hold the same bytes (the kernel may keep its pages of a
     * file reopened unchanged): blocks are never rewritten, so their ids name their bytes.
     */
    public static boolean sameContent(ObjectManifest a, ObjectManifest b) {
        if (a.size() != b.size() || !Arrays.equals(a.inlineData(), b.inlineData()) || a.blocks().size() != b.blocks().size()) {
            return false;
        }
        for (int i = 0; i < a.blocks().size(); i++) {
            if (!a.blocks().get(i).id().equals(b.blocks().get(i).id())) {
                return false;
            }
        }
        return true;
    }

    /** The answer of a call to the cluster, waited for; its failure as thrown. */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = Failures.unwrap(e);
            throw cause instanceof RuntimeException r ? r : MooseException.of(cause);
        }
    }
}
