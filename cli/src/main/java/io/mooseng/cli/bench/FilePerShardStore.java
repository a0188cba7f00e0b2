package io.mooseng.cli.bench;

import io.mooseng.core.model.ShardId;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The baseline of {@link ShardStoreBench}: one file per shard, the way MooseFS keeps chunk
 * files. A put creates the file under a two-level hashed directory (16 x 16), writes it,
 * fsyncs it and then its directory, so the shard is durable when put returns.
 */
final class FilePerShardStore implements ShardStoreBench.Target {
    private static final int FANOUT = 16;

    private final Path root;

    /** Creates the directory tree under {@code root} (made durable once, outside any measurement). */
    FilePerShardStore(Path root) throws IOException {
        this.root = root;
        for (int a = 0; a < FANOUT; a++) {
            for (int b = 0; b < FANOUT; b++) {
                Files.createDirectories(root.resolve(hex(a)).resolve(hex(b)));
            }
            fsyncDirectory(root.resolve(hex(a)));
        }
        fsyncDirectory(root);
    }

    @Override
    public void put(ShardId id, ByteBuffer data) throws IOException {
        Path file = fileOf(id);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer src = data.duplicate();
            while (src.hasRemaining()) {
                ch.write(src);
            }
            ch.force(true);
        }
        // the new directory entry must be durable too, or a crash can lose the whole file
        fsyncDirectory(file.getParent());
    }

    @Override
    public ByteBuffer get(ShardId id) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(fileOf(id)));
    }

    private Path fileOf(ShardId id) {
        int h = id.hashCode();
        return root.resolve(hex(h & (FANOUT - 1))).resolve(hex((h >>> 4) & (FANOUT - 1))).resolve(id.block() + "_" + id.index());
    }

    private static String hex(int n) {
        return Integer.toHexString(n);
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public void close() {
        // every put closed its file
    }
}
