package io.mooseng.s3compat.fuse;

import static java.nio.file.StandardOpenOption.APPEND;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Random;

/**
 * An fsx-style checker: random writes, truncates, reads, appends, syncs and reopens of one file, each mirrored on an
 * in-memory model, and the whole file compared with the model after every operation, so a failure names the
 * operation that caused it rather than one long after.
 */
public final class FsxStress {
    public record Report(long seed, int ops, Duration elapsed) {
    }

    private static final int MAX_IO = 64 * 1024;
    private static final int LOG_LENGTH = 20;

    private final Path file;
    private final long seed;
    private final Random random;
    private final int maxLength;
    /** The file as it should be; bytes from size on are always zero, as a file's grown region reads. */
    private final byte[] model;
    /** The file as read back, one byte longer than the model can be so an overlong file shows. */
    private final byte[] actual;
    private final Deque<String> log = new ArrayDeque<>();
    private int size;
    private int op;
    private RandomAccessFile handle;
    private FileChannel channel;

    public FsxStress(Path file, long seed, int maxLength) {
        this.file = file;
        this.seed = seed;
        this.random = new Random(seed);
        this.maxLength = maxLength;
        this.model = new byte[maxLength];
        this.actual = new byte[maxLength + 1];
    }

    /** Runs up to ops operations, or fewer if the time limit comes first, starting from an empty file. */
    public Report run(int ops, Duration timeLimit) throws IOException {
        long start = System.nanoTime();
        long deadline = start + timeLimit.toNanos();
        open();
        channel.truncate(0);
        try {
            while (op < ops && System.nanoTime() < deadline) {
                op++;
                remember(step());
                verify();
            }
        } finally {
            handle.close();
        }
        return new Report(seed, op, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Does one random operation on the file and the model; answers what it did. */
    private String step() throws IOException {
        int dice = random.nextInt(100);
        if (dice < 40) {
            int offset = random.nextInt(maxLength);
            return write(offset, 1 + random.nextInt(Math.min(MAX_IO, maxLength - offset)));
        } else if (dice < 50) {
            return truncate(random.nextInt(maxLength + 1));
        } else if (dice < 60 && size < maxLength) {
            return append(1 + random.nextInt(Math.min(MAX_IO, maxLength - size)));
        } else if (dice < 85) {
            return read(random.nextInt(maxLength), 1 + random.nextInt(MAX_IO));
        } else if (dice < 92) {
            boolean metadata = random.nextBoolean();
            channel.force(metadata);
            return metadata ? "fsync" : "fdatasync";
        } else {
            handle.close();
            open();
            return "close and reopen";
        }
    }

    private String write(int offset, int length) throws IOException {
        byte[] data = randomBytes(length);
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            channel.write(buffer, offset + buffer.position());
        }
        System.arraycopy(data, 0, model, offset, length);
        size = Math.max(size, offset + length);
        return "write " + length + " at " + offset;
    }

    /** FileChannel.truncate only shrinks; the RandomAccessFile under the channel grows the file (ftruncate). */
    private String truncate(int newSize) throws IOException {
        if (newSize < size) {
            channel.truncate(newSize);
            Arrays.fill(model, newSize, size, (byte) 0);
        } else {
            handle.setLength(newSize);
        }
        String done = "truncate " + size + " to " + newSize;
        size = newSize;
        return done;
    }

    /** A real O_APPEND write, on a channel of its own, which must land at the end whatever the offset. */
    private String append(int length) throws IOException {
        byte[] data = randomBytes(length);
        try (FileChannel appender = FileChannel.open(file, APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                appender.write(buffer);
            }
        }
        System.arraycopy(data, 0, model, size, length);
        size += length;
        return "append " + length + " at " + (size - length);
    }

    private String read(int offset, int length) throws IOException {
        int n = readFully(offset, length);
        int expected = Math.max(0, Math.min(length, size - offset));
        String done = "read " + length + " at " + offset;
        if (n != expected) {
            throw mismatch(done + " returned " + n + " bytes, not " + expected, offset);
        }
        int differs = Arrays.mismatch(model, offset, offset + n, actual, 0, n);
        if (differs >= 0) {
            throw mismatch(done + " returned wrong data", offset + differs);
        }
        return done;
    }

    /** The whole file must be the model: same size, same bytes. */
    private void verify() throws IOException {
        long reported = channel.size();
        if (reported != size) {
            throw mismatch("the file's size is " + reported + ", not " + size, -1);
        }
        int n = readFully(0, actual.length);
        if (n != size) {
            throw mismatch("a full read gave " + n + " bytes of " + size, Math.min(n, size));
        }
        int differs = Arrays.mismatch(model, 0, size, actual, 0, size);
        if (differs >= 0) {
            throw mismatch("the content differs", differs);
        }
    }

    /** Reads into the start of actual until length bytes or the end of the file; answers how many. */
    private int readFully(long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(actual, 0, length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.position();
    }

    private AssertionError mismatch(String what, long firstDifference) {
        return new AssertionError("op " + op + ": " + what + (firstDifference >= 0 ? "; first differing offset " + firstDifference : "")
                + "\nseed " + seed + ", max length " + maxLength + ", file " + file
                + "\nlast operations:\n  " + String.join("\n  ", log));
    }

    private void remember(String done) {
        if (log.size() == LOG_LENGTH) {
            log.removeFirst();
        }
        log.addLast(op + ": " + done);
    }

    private void open() throws IOException {
        handle = new RandomAccessFile(file.toFile(), "rw");
        channel = handle.getChannel();
    }

    private byte[] randomBytes(int length) {
        byte[] data = new byte[length];
        random.nextBytes(data);
        return data;
    }
}
