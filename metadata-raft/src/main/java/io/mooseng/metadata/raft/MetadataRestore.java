package io.mooseng.metadata.raft;

import io.mooseng.metadata.store.LogPosition;
import io.mooseng.metadata.store.NamespaceStore;
import io.mooseng.metadata.store.StoreFailure;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.server.storage.RaftStorageMetadata;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Rebuilds the storage of a new master group from the metadata of a surviving copy (a
 * metalogger's, or a master's), after every master was lost. Each target becomes a formatted
 * Raft storage whose only content is a snapshot of the source's state at its last applied
 * entry, with the term of that entry: masters started on the targets elect a leader in a
 * later term and continue the log after the snapshot, as after an ordinary log purge.
 */
public final class MetadataRestore {
    private MetadataRestore() {
    }

    /**
     * @param from storage directory of the copy (its process must be stopped: RocksDB is locked while open)
     * @param to   storage directories of the new masters; each must be absent or empty
     * @return the log position restored
     */
    public static LogPosition restore(Path from, List<Path> to) throws IOException {
        Path db = database(from);
        if (!Files.isDirectory(db)) {
            throw new IOException("no metadata database at " + db + " (is " + from + " a master's or metalogger's metadata folder?)");
        }
        for (Path target : to) {
            if (Files.exists(target) && !isEmpty(target)) {
                throw new IOException("target " + target + " is not empty; restore only into new folders");
            }
        }
        NamespaceStore store;
        try {
            store = NamespaceStore.open(db);
        } catch (StoreFailure e) {
            throw new IOException("cannot open " + db + " (stop the metalogger or master that uses it first): " + e.getMessage(), e);
        }
        try (store) {
            LogPosition applied = store.applied();
            if (applied.index() < 0) {
                throw new IOException("the copy at " + from + " holds no applied metadata");
            }
            for (Path target : to) {
                seed(target, store, applied);
            }
            return applied;
        }
    }

    private static void seed(Path target, NamespaceStore store, LogPosition applied) throws IOException {
        File root = groupDir(target).toFile();
        try (RaftStorage storage = RaftStorage.newBuilder().setDirectory(root)
                .setOption(RaftStorage.StartupOption.FORMAT)
                .setStorageFreeSpaceMin(RaftServerConfigKeys.STORAGE_FREE_SPACE_MIN_DEFAULT)
                .setLogCorruptionPolicy(RaftServerConfigKeys.Log.CorruptionPolicy.getDefault()).build()) {
            storage.initialize();
            storage.getMetadataFile().persist(RaftStorageMetadata.valueOf(applied.term(),
                    RaftStorageMetadata.getDefault().getVotedFor()));
            Path snapshots = storage.getStorageDir().getStateMachineDir().toPath().resolve(CheckpointStorage.SNAPSHOTS);
            Files.createDirectories(snapshots);
            store.checkpoint(snapshots.resolve(CheckpointStorage.snapshotName(applied.term(), applied.index())));
        }
    }

    /** The metadata database of a master's or metalogger's storage directory: what a restore copies into each target. */
    public static Path database(Path storageDir) {
        return groupDir(storageDir).resolve("sm").resolve("db");
    }

    private static Path groupDir(Path storageDir) {
        return storageDir.resolve(RaftPeers.GROUP_ID.getUuid().toString());
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
