package io.mooseng.metadata.raft;

import io.mooseng.metadata.rpc.SnapshotHolds;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the state machine keeps its data, below Ratis's state machine directory:
 * {@code db/} is the live RocksDB and {@code snapshots/<term>_<index>/} are RocksDB
 * checkpoints. A snapshot is complete once its directory has its final name (it is built
 * under a temporary name and renamed). The live database, not the snapshot, is the state
 * on restart; a snapshot only lets Ratis purge the log behind it, and replaces the database
 * when the database is older than it (lost or behind).
 */
final class CheckpointStorage implements StateMachineStorage, SnapshotHolds {
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("(\\d+)_(\\d+)");
    private static final String TMP_PREFIX = ".tmp-";
    static final String SNAPSHOTS = "snapshots";

    private Path snapshots;
    private Path db;
    private volatile SnapshotInfo latest;
    /** Snapshots being sent to followers, by index, with the number of senders (guarded by this). */
    private final Map<Long, Integer> held = new HashMap<>();

    @Override
    public void init(RaftStorage storage) throws IOException {
        open(storage.getStorageDir().getStateMachineDir().toPath());
    }

    /** Opens the storage below {@code root}, Ratis's state machine directory. */
    void open(Path root) throws IOException {
        snapshots = root.resolve(SNAPSHOTS);
        db = root.resolve("db");
        Files.createDirectories(snapshots);
        try (Stream<Path> leftovers = Files.list(snapshots)) {
            for (Path p : leftovers.filter(p -> p.getFileName().toString().startsWith(TMP_PREFIX)).toList()) {
                deleteRecursively(p);
            }
        }
        refresh();
    }

    /** Rescans the snapshot directory, e.g. after Ratis installed a snapshot from the leader. */
    void refresh() throws IOException {
        List<Path> all = snapshotDirs();
        latest = all.isEmpty() ? null : describe(all.get(0));
    }

    Path databaseDir() {
        return db;
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return latest;
    }

    @Override
    public void format() {
        // nothing to prepare: directories are created by init()
    }

    @Override
    public File getSnapshotDir() {
        return snapshots.toFile();
    }

    /** Deletes all but the newest retained snapshots, except those held for a follower. */
    @Override
    public synchronized void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        int keep = policy.getNumSnapshotsRetained();
        if (keep <= 0) {
            return;
        }
        List<Path> all = snapshotDirs();
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            if (!held.containsKey(termIndex(old).getIndex())) {
                deleteRecursively(old);
            }
        }
    }

    @Override
    public synchronized boolean hold(long index) {
        try {
            if (snapshotDirs().stream().noneMatch(d -> termIndex(d).getIndex() == index)) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        held.merge(index, 1, Integer::sum);
        return true;
    }

    @Override
    public synchronized void release(long index) {
        held.computeIfPresent(index, (i, n) -> n == 1 ? null : n - 1);
    }

    /**
     * Snapshots the state at {@code applied} via {@code checkpoint}, which writes the
     * database to the directory it is given.
     *
     * @return the snapshot's log index
     */
    long takeSnapshot(TermIndex applied, Consumer<Path> checkpoint) throws IOException {
        String name = snapshotName(applied.getTerm(), applied.getIndex());
        Path target = snapshots.resolve(name);
        if (!Files.exists(target)) {
            Path tmp = snapshots.resolve(TMP_PREFIX + name);
            deleteRecursively(tmp);
            try {
                checkpoint.accept(tmp);
            } catch (RuntimeException e) {
                throw new IOException("checkpoint for snapshot " + name + " failed", e);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
        latest = describe(target);
        return applied.getIndex();
    }

    /** Replaces the database directory with a copy of the latest snapshot. */
    void restoreLatest() throws IOException {
        SnapshotInfo snapshot = latest;
        if (snapshot == null) {
            throw new IOException("no snapshot to restore from");
        }
        Path source = snapshots.resolve(snapshotName(snapshot.getTerm(), snapshot.getIndex()));
        deleteRecursively(db);
        Files.createDirectories(db);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.toList()) {
                Path copy = db.resolve(f.getFileName());
                // table files are immutable: share them; RocksDB rewrites the small others
                if (f.getFileName().toString().endsWith(".sst")) {
                    link(f, copy);
                } else {
                    Files.copy(f, copy);
                }
            }
        }
    }

    static String snapshotName(long term, long index) {
        return term + "_" + index;
    }

    /** Snapshot directories, newest first. */
    private List<Path> snapshotDirs() throws IOException {
        try (Stream<Path> dirs = Files.list(snapshots)) {
            return dirs.filter(p -> SNAPSHOT_NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong((Path p) -> termIndex(p).getIndex()).reversed())
                    .toList();
        }
    }

    private static SnapshotInfo describe(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<FileInfo> infos = files.filter(Files::isRegularFile).sorted().map(f -> new FileInfo(f, null)).toList();
            return new FileListSnapshotInfo(infos, termIndex(dir));
        }
    }

    private static TermIndex termIndex(Path dir) {
        Matcher m = SNAPSHOT_NAME.matcher(dir.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a snapshot directory: " + dir);
        }
        return TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    private static void link(Path existing, Path link) throws IOException {
        try {
            Files.createLink(link, existing);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(existing, link);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
