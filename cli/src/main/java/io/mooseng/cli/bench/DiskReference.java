package io.mooseng.cli.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** The disk's raw sequential write speed: 1 MiB writes, then one fsync, like fio's end_fsync. */
final class DiskReference {
    private DiskReference() {
    }

    static LatencyStats sequentialWrite(Path dir, long bytes) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "disk-reference", ".bin");
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        byte[] noise = new byte[1 << 20];
        ThreadLocalRandom.current().nextBytes(noise);
        buf.put(noise).flip();
        long start = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long written = 0; written < bytes; written += buf.capacity()) {
                buf.rewind();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            ch.force(true);
        } finally {
            Files.deleteIfExists(file);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LatencyStats("disk sequential write (1 MiB + fsync)", bytes >> 20, bytes, seconds, 0, 0);
    }
}
