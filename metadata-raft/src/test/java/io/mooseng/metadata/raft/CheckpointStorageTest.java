package io.mooseng.metadata.raft;

import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStorageTest {
    private static final SnapshotRetentionPolicy KEEP_ONE = new SnapshotRetentionPolicy() {
        @Override
        public int getNumSnapshotsRetained() {
            return 1;
        }
    };

    @TempDir
    Path root;

    @Test
    void aSnapshotHeldForAFollowerOutlivesRetentionUntilReleased() throws IOException {
        CheckpointStorage storage = heldAt100();
        snapshot(storage, 200);
        snapshot(storage, 300);
        storage.cleanupOldSnapshots(KEEP_ONE);
        assertTrue(exists(100), "held while it is being sent");
        assertFalse(exists(200));
        assertTrue(exists(300));
        assertEquals(300, storage.getLatestSnapshot().getIndex());

        storage.release(100);
        storage.cleanupOldSnapshots(KEEP_ONE);
        assertFalse(exists(100));
        assertFalse(storage.hold(200), "a deleted snapshot cannot be held");
    }

    @Test
    void holdsCountEachSender() throws IOException {
        CheckpointStorage storage = heldAt100();
        assertTrue(storage.hold(100));
        snapshot(storage, 200);
        storage.release(100);
        storage.cleanupOldSnapshots(KEEP_ONE);
        assertTrue(exists(100), "one sender still holds it");
        storage.release(100);
        storage.cleanupOldSnapshots(KEEP_ONE);
        assertFalse(exists(100));
    }

    /** A storage with one snapshot, at index 100, held once. */
    private CheckpointStorage heldAt100() throws IOException {
        CheckpointStorage storage = new CheckpointStorage();
        storage.open(root);
        snapshot(storage, 100);
        assertTrue(storage.hold(100));
        return storage;
    }

    private static void snapshot(CheckpointStorage storage, long index) throws IOException {
        storage.takeSnapshot(TermIndex.valueOf(1, index), dir -> {
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("000001.sst"), "table " + index);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private boolean exists(long index) {
        return Files.isDirectory(root.resolve(CheckpointStorage.SNAPSHOTS).resolve(CheckpointStorage.snapshotName(1, index)));
    }
}
