package io.mooseng.chunkserver.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A marker file written by a clean close, naming the last segment and its size. When it
 * still matches at the next open, that segment's tail cannot be torn and open skips
 * verifying its payloads. Any append changes the size, so a stale marker (say, its delete
 * lost in a crash) never matches and costs only a verification pass.
 */
final class CleanShutdown {
    static final String FILE_NAME = "clean-shutdown";

    private CleanShutdown() {
    }

    static void write(Path dir, Segment last) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        Files.writeString(file, last.id() + " " + last.channel().size() + "\n", StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        SegmentLog.syncDirectory(dir);
    }

    /** Deletes the marker; @return whether it said segment {@code lastId} of {@code lastSize} bytes */
    static boolean consume(Path dir, int lastId, long lastSize) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return false;
        }
        Files.delete(file);
        return text.equals(lastId + " " + lastSize);
    }
}
