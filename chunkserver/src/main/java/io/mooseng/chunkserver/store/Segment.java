package io.mooseng.chunkserver.store;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One append-only segment file {@code seg-NNNNNN.log} and its space accounting.
 *
 * <p>Threading: positional reads from any thread; writes only by {@link SegmentLog} under
 * its lock. {@code sizeBytes} counts every byte of the file's records (live, overwritten,
 * deleted, tombstones); {@code liveBytes} counts the records the index points to, so
 * {@code sizeBytes - liveBytes} is what compaction would reclaim.
 */
final class Segment implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("seg-(\\d{6,})\\.log");
    /**
     * Largest single read or write. The JDK copies heap buffers through a per-thread cached
     * direct buffer as large as the biggest transfer; 8 MiB shards on many I/O threads would
     * otherwise pin 8 MiB of native memory per thread.
     */
    private static final int IO_CHUNK_BYTES = 1 << 20;

    private final int id;
    private final Path path;
    private final FileChannel channel;
    /** For reads from the page cache without waiting; null where the platform has none. */
    private final NowaitFile nowait;
    private final AtomicLong sizeBytes = new AtomicLong();
    private final AtomicLong liveBytes = new AtomicLong();

    private Segment(int id, Path path, FileChannel channel) {
        this.id = id;
        this.path = path;
        this.channel = channel;
        this.nowait = NowaitFile.open(path);
    }

    /** Opens (creating it if asked) segment {@code id} in {@code dir} for reading and appending. */
    static Segment open(Path dir, int id, boolean create) throws IOException {
        Path path = dir.resolve(fileName(id));
        FileChannel ch = create
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new Segment(id, path, ch);
    }

    static String fileName(int id) {
        return String.format("seg-%06d.log", id);
    }

    /** @return the segment id named by {@code fileName}, or -1 if it is not a segment file */
    static int idOf(String fileName) {
        Matcher m = NAME.matcher(fileName);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    int id() {
        return id;
    }

    Path path() {
        return path;
    }

    FileChannel channel() {
        return channel;
    }

    long sizeBytes() {
        return sizeBytes.get();
    }

    void setSizeBytes(long bytes) {
        sizeBytes.set(bytes);
    }

    long liveBytes() {
        return liveBytes.get();
    }

    void addLiveBytes(long delta) {
        liveBytes.addAndGet(delta);
    }

    /** Fills {@code dst} from {@code position}; EOFException if the file ends first. */
    void readFully(ByteBuffer dst, long position) throws IOException {
        readFully(channel, path, dst, position);
    }

    /** Fills {@code dst} from {@code position} of {@code file} (a channel on {@code path}); EOFException if it ends first. */
    static void readFully(FileChannel file, Path path, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            ByteBuffer chunk = dst.slice(dst.position(), Math.min(dst.remaining(), IO_CHUNK_BYTES));
            int n = file.read(chunk, pos);
            if (n < 0) {
                throw new EOFException(path + " ends at " + pos + ", before the record does");
            }
            dst.position(dst.position() + n);
            pos += n;
        }
    }

    /**
     * Fills {@code dst} from {@code position} if the page cache holds all of it, without waiting
     * for the disk; false if not (read it with {@link #readFully} then).
     */
    boolean readCached(MemorySegment dst, long position, Arena scratch) {
        return nowait != null && nowait.readCached(dst, position, scratch);
    }

    /** Writes all of {@code src} at {@code position}. */
    void writeFully(ByteBuffer src, long position) throws IOException {
        long pos = position;
        while (src.hasRemaining()) {
            ByteBuffer chunk = src.slice(src.position(), Math.min(src.remaining(), IO_CHUNK_BYTES));
            int n = channel.write(chunk, pos);
            src.position(src.position() + n);
            pos += n;
        }
    }

    @Override
    public void close() throws IOException {
        if (nowait != null) {
            nowait.close();
        }
        channel.close();
    }
}
