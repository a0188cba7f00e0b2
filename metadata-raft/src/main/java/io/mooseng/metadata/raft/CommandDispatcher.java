package io.mooseng.metadata.raft;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.metadata.codec.ModelCodec;
import io.mooseng.metadata.command.CommandCodec;
import io.mooseng.metadata.command.MetadataCommand;
import io.mooseng.metadata.command.MetadataCommand.AbortUpload;
import io.mooseng.metadata.command.MetadataCommand.Batch;
import io.mooseng.metadata.command.MetadataCommand.CompleteUpload;
import io.mooseng.metadata.command.MetadataCommand.CreateBucket;
import io.mooseng.metadata.command.MetadataCommand.CreateUpload;
import io.mooseng.metadata.command.MetadataCommand.DeleteBucket;
import io.mooseng.metadata.command.MetadataCommand.DeleteObject;
import io.mooseng.metadata.command.MetadataCommand.PutObject;
import io.mooseng.metadata.command.MetadataCommand.PutPart;
import io.mooseng.metadata.command.MetadataCommand.RegisterChunkserver;
import io.mooseng.metadata.command.MetadataCommand.RegisterGateway;
import io.mooseng.metadata.command.MetadataCommand.MoveShards;
import io.mooseng.metadata.command.MetadataCommand.PurgeTrash;
import io.mooseng.metadata.command.MetadataCommand.ReplaceManifest;
import io.mooseng.metadata.command.MetadataCommand.CreateEntry;
import io.mooseng.metadata.command.MetadataCommand.Link;
import io.mooseng.metadata.command.MetadataCommand.Rename;
import io.mooseng.metadata.command.MetadataCommand.Unlink;
import io.mooseng.metadata.command.MetadataCommand.UpdateInode;
import io.mooseng.metadata.command.MetadataQuery.Lookup;
import io.mooseng.metadata.command.MetadataQuery.ReadDirectory;
import io.mooseng.metadata.command.MetadataCommand.ReportMaintenance;
import io.mooseng.metadata.command.MetadataCommand.RestoreTrash;
import io.mooseng.metadata.command.MetadataCommand.SetBucketPolicy;
import io.mooseng.metadata.command.MetadataQuery.GetMaintenance;
import io.mooseng.metadata.command.MetadataQuery.ListTrash;
import io.mooseng.metadata.command.MetadataQuery.ScanBlocks;
import io.mooseng.metadata.command.MetadataQuery;
import io.mooseng.metadata.command.MetadataQuery.GetBucket;
import io.mooseng.metadata.command.MetadataQuery.GetObject;
import io.mooseng.metadata.command.MetadataQuery.GetUpload;
import io.mooseng.metadata.command.MetadataQuery.ListBuckets;
import io.mooseng.metadata.command.MetadataQuery.ListChunkservers;
import io.mooseng.metadata.command.MetadataQuery.ListGateways;
import io.mooseng.metadata.command.MetadataQuery.ListObjects;
import io.mooseng.metadata.command.MetadataQuery.ListParts;
import io.mooseng.metadata.command.MetadataQuery.ListUploads;
import io.mooseng.metadata.command.Reply;
import io.mooseng.metadata.store.Namespace;
import io.mooseng.metadata.store.NamespaceStore.Transaction;
import io.mooseng.metadata.store.StoreFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses commands and queries, switches on their type and hands them to the
 * {@link Namespace}; encodes each outcome, failures included, as a {@link Reply}.
 */
final class CommandDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    private CommandDispatcher() {
    }

    /** Applies one log entry's command; only a {@link StoreFailure} escapes. */
    static byte[] apply(Transaction tx, byte[] logData) {
        MetadataCommand command;
        try {
            command = CommandCodec.decode(logData);
        } catch (IllegalArgumentException e) {
            return Reply.error(new MooseException(ErrorCode.INTERNAL, "malformed command: " + e.getMessage()));
        }
        if (command instanceof Batch batch) {
            List<byte[]> replies = new ArrayList<>(batch.commands().size());
            batch.commands().forEach(c -> replies.add(applyOne(tx, c)));
            return Reply.batch(replies);
        }
        return applyOne(tx, command);
    }

    /** Answers a query; only a {@link StoreFailure} escapes. */
    static byte[] query(Namespace ns, byte[] request) {
        try {
            return execute(ns, CommandCodec.decodeQuery(request));
        } catch (MooseException e) {
            return Reply.error(e);
        } catch (StoreFailure e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("query failed", e);
            return Reply.error(new MooseException(ErrorCode.INTERNAL, "query failed: " + e));
        }
    }

    private static byte[] applyOne(Transaction tx, MetadataCommand command) {
        try {
            return tx.atomically(ns -> execute(ns, command));
        } catch (MooseException e) {
            return Reply.error(e);
        } catch (StoreFailure e) {
            throw e;
        } catch (RuntimeException e) {
            // a bug, but a deterministic one: every replica fails this command the same way
            // and rolls it back, so answering keeps the replicas identical and the log moving
            LOG.error("command {} failed", command.getClass().getSimpleName(), e);
            return Reply.error(new MooseException(ErrorCode.INTERNAL, "command failed: " + e));
        }
    }

    private static byte[] execute(Namespace ns, MetadataCommand command) {
        if (command instanceof CreateBucket c) {
            return Reply.ok(ModelCodec.BUCKET, ns.createBucket(c.name(), c.defaultClass(), c.createdMillis()));
        } else if (command instanceof DeleteBucket c) {
            ns.deleteBucket(c.name());
            return Reply.ok(ModelCodec.NONE, null);
        } else if (command instanceof PutObject c) {
            return Reply.ok(ModelCodec.STORED_OBJECT, ns.putObject(c.bucket(), c.key(), c.manifest()));
        } else if (command instanceof DeleteObject c) {
            return Reply.ok(ModelCodec.OPTIONAL_OBJECT, ns.deleteObject(c.bucket(), c.key(), c.deletedMillis()));
        } else if (command instanceof CreateUpload c) {
            return Reply.ok(ModelCodec.UPLOAD, ns.createUpload(c.bucket(), c.key(), c.uploadId(), c.properties(),
                    c.storageClass(), c.initiatedMillis()));
        } else if (command instanceof PutPart c) {
            return Reply.ok(ModelCodec.OPTIONAL_PART, ns.putPart(c.bucket(), c.key(), c.uploadId(), c.part()));
        } else if (command instanceof CompleteUpload c) {
            return Reply.ok(ModelCodec.COMPLETED_UPLOAD, ns.completeUpload(c.bucket(), c.key(), c.uploadId(), c.parts(),
                    c.minPartSize(), c.mtimeMillis()));
        } else if (command instanceof AbortUpload c) {
            return Reply.ok(ModelCodec.PARTS, ns.abortUpload(c.bucket(), c.key(), c.uploadId()));
        } else if (command instanceof RegisterChunkserver c) {
            ns.registerChunkserver(c.info());
            return Reply.ok(ModelCodec.NONE, null);
        } else if (command instanceof RegisterGateway c) {
            ns.registerGateway(c.info());
            return Reply.ok(ModelCodec.NONE, null);
        } else if (command instanceof SetBucketPolicy c) {
            return Reply.ok(ModelCodec.BUCKET, ns.setBucketPolicy(c.bucket(), c.policy()));
        } else if (command instanceof MoveShards c) {
            ns.moveShards(c.block(), c.moves());
            return Reply.ok(ModelCodec.NONE, null);
        } else if (command instanceof ReplaceManifest c) {
            return Reply.ok(ModelCodec.OBJECT, ns.replaceManifest(c.bucket(), c.key(), c.inode(), c.manifest()));
        } else if (command instanceof RestoreTrash c) {
            return Reply.ok(ModelCodec.OBJECT, ns.restoreTrash(c.bucket(), c.inode()));
        } else if (command instanceof PurgeTrash c) {
            return Reply.ok(ModelCodec.OBJECT, ns.purgeTrash(c.bucket(), c.inode()));
        } else if (command instanceof CreateEntry c) {
            return Reply.ok(ModelCodec.OBJECT, ns.createEntry(c.bucket(), c.key(), c.manifest()));
        } else if (command instanceof UpdateInode c) {
            return Reply.ok(ModelCodec.INODE_UPDATED, ns.updateInode(c.bucket(), c.inode(), c.update()));
        } else if (command instanceof Rename c) {
            return Reply.ok(ModelCodec.OPTIONAL_OBJECT, ns.rename(c.bucket(), c.from(), c.to(), c.changedMillis()));
        } else if (command instanceof Link c) {
            return Reply.ok(ModelCodec.ENTRY, ns.link(c.bucket(), c.existing(), c.newKey()));
        } else if (command instanceof Unlink c) {
            return Reply.ok(ModelCodec.OPTIONAL_OBJECT, ns.unlink(c.bucket(), c.key(), c.directory(), c.deletedMillis()));
        } else if (command instanceof ReportMaintenance c) {
            ns.reportMaintenance(c.report());
            return Reply.ok(ModelCodec.NONE, null);
        }
        // Batch is unpacked by apply(); batches do not nest
        throw new IllegalArgumentException("unexpected command " + command.getClass().getSimpleName());
    }

    private static byte[] execute(Namespace ns, MetadataQuery query) {
        if (query instanceof GetBucket q) {
            return Reply.ok(ModelCodec.BUCKET, ns.getBucket(q.name()));
        } else if (query instanceof ListBuckets) {
            return Reply.ok(ModelCodec.BUCKETS, ns.listBuckets());
        } else if (query instanceof GetObject q) {
            return Reply.ok(ModelCodec.OBJECT, ns.getObject(q.bucket(), q.key()));
        } else if (query instanceof ListObjects q) {
            return Reply.ok(ModelCodec.LIST_PAGE, ns.listObjects(q.bucket(), q.request()));
        } else if (query instanceof GetUpload q) {
            return Reply.ok(ModelCodec.UPLOAD, ns.getUpload(q.bucket(), q.key(), q.uploadId()));
        } else if (query instanceof ListParts q) {
            return Reply.ok(ModelCodec.PARTS, ns.listParts(q.bucket(), q.key(), q.uploadId()));
        } else if (query instanceof ListUploads q) {
            return Reply.ok(ModelCodec.UPLOADS, ns.listUploads(q.bucket(), q.prefix()));
        } else if (query instanceof ListChunkservers) {
            return Reply.ok(ModelCodec.CHUNKSERVERS, ns.listChunkservers());
        } else if (query instanceof ListGateways) {
            return Reply.ok(ModelCodec.GATEWAYS, ns.listGateways());
        } else if (query instanceof ScanBlocks q) {
            return Reply.ok(ModelCodec.BLOCK_LIST, ns.scanBlocks(q.after(), q.limit()));
        } else if (query instanceof ListTrash q) {
            return Reply.ok(ModelCodec.TRASH, ns.listTrash(q.bucket()));
        } else if (query instanceof Lookup q) {
            return Reply.ok(ModelCodec.ENTRY, ns.lookup(q.bucket(), q.path()));
        } else if (query instanceof ReadDirectory q) {
            return Reply.ok(ModelCodec.ENTRIES, ns.readDirectory(q.bucket(), q.dir(), q.after(), q.limit()));
        } else if (query instanceof GetMaintenance) {
            return Reply.ok(ModelCodec.OPTIONAL_MAINTENANCE, ns.maintenance());
        }
        throw new IllegalArgumentException("unexpected query " + query.getClass().getSimpleName());
    }
}
