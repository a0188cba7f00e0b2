package io.mooseng.metadata.raft;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
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
import io.mooseng.metadata.command.MetadataQuery.ReportChunkserver;
import io.mooseng.metadata.command.MetadataQuery.ReportGateway;
import io.mooseng.metadata.command.MetadataQuery.ReportMaintenance;
import io.mooseng.metadata.command.MetadataQuery.ReportDamagedShards;
import io.mooseng.metadata.command.MetadataQuery.TakeDamagedBlocks;
import io.mooseng.metadata.command.MetadataQuery.ChangesSince;
import io.mooseng.core.model.DamagedBlock;
import io.mooseng.metadata.command.Reply;
import io.mooseng.metadata.store.Namespace;
import io.mooseng.metadata.store.NamespaceStore.Transaction;
import io.mooseng.metadata.store.StoreFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Parses commands and queries, switches on their type (exhaustively: a new command does not
 * compile until it is dispatched) and hands them to the {@link Namespace}; encodes each
 * outcome, failures included, as a {@link Reply} in the codec the command declares.
 */
final class CommandDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    private CommandDispatcher() {
    }

    /** Applies one log entry's command, telling {@code applied} each one that succeeded; only a {@link StoreFailure} escapes. */
    static byte[] apply(Transaction tx, byte[] logData, Consumer<MetadataCommand<?>> applied) {
        MetadataCommand<?> command;
        try {
            command = CommandCodec.decode(logData);
        } catch (IllegalArgumentException e) {
            return Reply.error(new MooseException(ErrorCode.INTERNAL, "malformed command: " + e.getMessage()));
        }
        if (command instanceof Batch batch) {
            List<byte[]> replies = new ArrayList<>(batch.commands().size());
            batch.commands().forEach(c -> replies.add(applyOne(tx, c, applied)));
            return Reply.batch(replies);
        }
        return applyOne(tx, command, applied);
    }

    /** Answers a query, with the nodes' reports where it asks for them; only a {@link StoreFailure} escapes. */
    static byte[] query(Namespace ns, NodeReports reports, NamespaceChangeLog changes, byte[] request) {
        try {
            return execute(ns, reports, changes, CommandCodec.decodeQuery(request));
        } catch (MooseException e) {
            return Reply.error(e);
        } catch (StoreFailure e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("query failed", e);
            return Reply.error(new MooseException(ErrorCode.INTERNAL, "query failed: " + e));
        }
    }

    private static byte[] applyOne(Transaction tx, MetadataCommand<?> command, Consumer<MetadataCommand<?>> applied) {
        try {
            byte[] reply = tx.atomically(ns -> execute(ns, command));
            applied.accept(command);
            return reply;
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

    /** The command's answer in its own reply codec: the compiler checks the pair. */
    private static <R> byte[] reply(MetadataCommand<R> command, R value) {
        return Reply.ok(command.replyCodec(), value);
    }

    private static <R> byte[] reply(MetadataQuery<R> query, R value) {
        return Reply.ok(query.replyCodec(), value);
    }

    private static byte[] execute(Namespace ns, MetadataCommand<?> command) {
        return switch (command) {
            case CreateBucket c -> reply(c, ns.createBucket(c.name(), c.defaultClass(), c.createdMillis()));
            case DeleteBucket c -> {
                ns.deleteBucket(c.name());
                yield reply(c, null);
            }
            case PutObject c -> reply(c, ns.putObject(c.bucket(), c.key(), c.manifest()));
            case DeleteObject c -> reply(c, ns.deleteObject(c.bucket(), c.key(), c.deletedMillis()));
            case CreateUpload c -> reply(c, ns.createUpload(c.bucket(), c.key(), c.uploadId(), c.properties(),
                    c.storageClass(), c.initiatedMillis()));
            case PutPart c -> reply(c, ns.putPart(c.bucket(), c.key(), c.uploadId(), c.part()));
            case CompleteUpload c -> reply(c, ns.completeUpload(c.bucket(), c.key(), c.uploadId(), c.parts(),
                    c.minPartSize(), c.mtimeMillis()));
            case AbortUpload c -> reply(c, ns.abortUpload(c.bucket(), c.key(), c.uploadId()));
            case RegisterChunkserver c -> {
                ns.registerChunkserver(c.info());
                yield reply(c, null);
            }
            case RegisterGateway c -> {
                ns.registerGateway(c.info());
                yield reply(c, null);
            }
            case SetBucketPolicy c -> reply(c, ns.setBucketPolicy(c.bucket(), c.policy()));
            case MoveShards c -> {
                ns.moveShards(c.block(), c.moves());
                yield reply(c, null);
            }
            case ReplaceManifest c -> reply(c, ns.replaceManifest(c.bucket(), c.key(), c.inode(), c.manifest()));
            case RestoreTrash c -> reply(c, ns.restoreTrash(c.bucket(), c.inode()));
            case PurgeTrash c -> reply(c, ns.purgeTrash(c.bucket(), c.inode()));
            case CreateEntry c -> reply(c, ns.createEntry(c.bucket(), c.key(), c.manifest()));
            case UpdateInode c -> reply(c, ns.updateInode(c.bucket(), c.inode(), c.update()));
            case Rename c -> reply(c, ns.rename(c.bucket(), c.from(), c.to(), c.changedMillis()));
            case Link c -> reply(c, ns.link(c.bucket(), c.existing(), c.newKey(), c.changedMillis()));
            case Unlink c -> reply(c, ns.unlink(c.bucket(), c.key(), c.directory(), c.deletedMillis()));
            // unpacked by apply(); batches do not nest
            case Batch c -> throw new IllegalArgumentException("a batch inside a batch");
        };
    }

    private static byte[] execute(Namespace ns, NodeReports reports, NamespaceChangeLog changes, MetadataQuery<?> query) {
        return switch (query) {
            case GetBucket q -> reply(q, ns.getBucket(q.name()));
            case ListBuckets q -> reply(q, ns.listBuckets());
            case GetObject q -> reply(q, ns.getObject(q.bucket(), q.key()));
            case ListObjects q -> reply(q, ns.listObjects(q.bucket(), q.request()));
            case GetUpload q -> reply(q, ns.getUpload(q.bucket(), q.key(), q.uploadId()));
            case ListParts q -> reply(q, ns.listParts(q.bucket(), q.key(), q.uploadId()));
            case ListUploads q -> reply(q, ns.listUploads(q.bucket(), q.prefix()));
            case ListChunkservers q -> reply(q, reports.chunkservers(ns.listChunkservers()));
            case ListGateways q -> reply(q, reports.gateways(ns.listGateways()));
            case ReportChunkserver q -> reply(q, reports.report(q.info(), ns.chunkserver(q.info().id())));
            case ReportGateway q -> reply(q, reports.report(q.info(), ns.gateway(q.info().id())));
            case ScanBlocks q -> reply(q, ns.scanBlocks(q.after(), q.limit()));
            case ListTrash q -> reply(q, ns.listTrash(q.bucket()));
            case Lookup q -> reply(q, ns.lookup(q.bucket(), q.path()));
            case ReadDirectory q -> reply(q, ns.readDirectory(q.bucket(), q.dir(), q.after(), q.limit()));
            case GetMaintenance q -> reply(q, reports.maintenance());
            case ReportMaintenance q -> {
                reports.maintenance(q.report());
                yield reply(q, null);
            }
            case ReportDamagedShards q -> {
                reports.damaged(q.block(), q.shards());
                yield reply(q, null);
            }
            case ChangesSince q -> reply(q, changes.since(q.after(), q.limit(), q.skipClient()));
            case TakeDamagedBlocks q -> reply(q, reports.takeDamaged(q.limit()).stream()
                    .flatMap(d -> ns.block(d.getKey()).map(b -> new DamagedBlock(b, d.getValue())).stream()).toList());
        };
    }
}
