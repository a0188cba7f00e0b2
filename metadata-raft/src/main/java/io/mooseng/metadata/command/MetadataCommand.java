package io.mooseng.metadata.command;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.core.model.ShardMove;
import io.mooseng.core.model.GatewayInfo;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.StorageClass;

import java.util.List;

/**
 * A namespace mutation as committed to the Raft log. Everything random or time-based
 * (upload ids, timestamps) is chosen by the submitter and carried here, so applying a
 * command reads nothing but the command, the store and the log index: every replica
 * reaches the same state.
 */
public sealed interface MetadataCommand {

    record CreateBucket(String name, StorageClass defaultClass, long createdMillis) implements MetadataCommand {
    }

    record DeleteBucket(String name) implements MetadataCommand {
    }

    record PutObject(String bucket, String key, ObjectManifest manifest) implements MetadataCommand {
    }

    record DeleteObject(String bucket, String key, long deletedMillis) implements MetadataCommand {
    }

    record CreateUpload(String bucket, String key, String uploadId, ObjectProperties properties,
                        StorageClass storageClass, long initiatedMillis) implements MetadataCommand {
    }

    record PutPart(String bucket, String key, String uploadId, PartInfo part) implements MetadataCommand {
    }

    record CompleteUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
                          long minPartSize, long mtimeMillis) implements MetadataCommand {
        public CompleteUpload {
            parts = List.copyOf(parts);
        }
    }

    record AbortUpload(String bucket, String key, String uploadId) implements MetadataCommand {
    }

    record RegisterChunkserver(ChunkserverInfo info) implements MetadataCommand {
    }

    record RegisterGateway(GatewayInfo info) implements MetadataCommand {
    }

    record SetBucketPolicy(String bucket, BucketPolicy policy) implements MetadataCommand {
    }

    record MoveShards(BlockId block, List<ShardMove> moves) implements MetadataCommand {
        public MoveShards {
            moves = List.copyOf(moves);
        }
    }

    record ReplaceManifest(String bucket, String key, long inode, ObjectManifest manifest) implements MetadataCommand {
    }

    record RestoreTrash(String bucket, long inode) implements MetadataCommand {
    }

    record PurgeTrash(String bucket, long inode) implements MetadataCommand {
    }

    record ReportMaintenance(MaintenanceReport report) implements MetadataCommand {
    }

    /** The mount's exclusive create (O_EXCL, mkdir). */
    record CreateEntry(String bucket, String key, ObjectManifest manifest) implements MetadataCommand {
    }

    record UpdateInode(String bucket, long inode, InodeUpdate update) implements MetadataCommand {
    }

    record Rename(String bucket, String from, String to, long changedMillis) implements MetadataCommand {
    }

    record Link(String bucket, String existing, String newKey) implements MetadataCommand {
    }

    record Unlink(String bucket, String key, boolean directory, long deletedMillis) implements MetadataCommand {
    }

    /**
     * Several commands in one log entry, applied in order, each atomically and with its own
     * result: one failing leaves no write of its own and does not affect the others.
     */
    record Batch(List<MetadataCommand> commands) implements MetadataCommand {
        public Batch {
            commands = List.copyOf(commands);
            if (commands.stream().anyMatch(c -> c instanceof Batch)) {
                throw new IllegalArgumentException("batches do not nest");
            }
        }
    }
}
