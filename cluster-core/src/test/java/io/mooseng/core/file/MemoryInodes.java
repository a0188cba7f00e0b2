package io.mooseng.core.file;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.metadata.PosixNamespace.InodeUpdated;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.StorageClass;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The part of the metadata service the file API asks, in memory: buckets (all of one class),
 * the chunkserver registry, and content updates of inodes, whose kept blocks are checked
 * against the inode's current ones as the masters' PosixTree does (that one is tested in
 * metadata-raft; this one lets the file API's tests run without a Raft group).
 */
final class MemoryInodes {
    final Map<Long, ObjectManifest> inodes = new ConcurrentHashMap<>();
    private final List<ChunkserverInfo> chunkservers;
    private final StorageClass storageClass;

    MemoryInodes(List<ChunkserverInfo> chunkservers, StorageClass storageClass) {
        this.chunkservers = chunkservers;
        this.storageClass = storageClass;
    }

    MetadataService service() {
        return (MetadataService) Proxy.newProxyInstance(MetadataService.class.getClassLoader(), new Class<?>[]{MetadataService.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "listChunkservers" -> CompletableFuture.completedFuture(chunkservers);
                    case "getBucket" -> CompletableFuture.completedFuture(new BucketInfo((String) args[0], 1, 0, storageClass));
                    case "reportDamagedShards" -> CompletableFuture.completedFuture(null);
                    case "updateInode" -> update((long) args[1], (InodeUpdate) args[2]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private synchronized CompletableFuture<InodeUpdated> update(long inode, InodeUpdate update) {
        ObjectManifest current = inodes.get(inode);
        if (current == null) {
            return CompletableFuture.failedFuture(new MooseException(ErrorCode.NO_SUCH_KEY, "inode " + inode + " no longer exists"));
        }
        List<BlockRef> old = current.blocks();
        for (int at : update.keptBlocks()) {
            if (at >= old.size() || !old.get(at).id().equals(update.content().blocks().get(at).id())) {
                return CompletableFuture.failedFuture(new MooseException(ErrorCode.CONCURRENT_CHANGE, "inode " + inode + " changed"));
            }
        }
        ObjectManifest updated = update.applyTo(current, false, null);
        inodes.put(inode, updated);
        return CompletableFuture.completedFuture(new InodeUpdated(updated, InodeUpdate.withoutPositions(old, update.keptBlocks())));
    }
}
