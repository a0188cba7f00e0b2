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
import io.mooseng.metadata.command.MetadataCommand.DeleteObjectVersion;
import io.mooseng.metadata.command.MetadataQuery.GetObjectVersion;
import io.mooseng.metadata.command.MetadataQuery.ListObjectVersions;
import io.mooseng.metadata.command.MetadataCommand.PutObject;
import io.mooseng.metadata.command.MetadataCommand.PutPart;
import io.mooseng.metadata.command.MetadataCommand.RegisterChunkserver;
import io.mooseng.metadata.command.MetadataCommand.RegisterGateway;
import io.mooseng.metadata.command.MetadataCommand.MoveShards;
import io.mooseng.metadata.command.MetadataCommand.PurgeTrash;
import io.mooseng.metadata.command.MetadataCommand.ReplaceManifest;
import io.mooseng.metadata.command.MetadataCommand.CreateEntry;
import io.mooseng.metadata.command.MetadataCommand.Link;
import io.mooseng.metadata.command.MetadataCommand.AcquireLease;
import io.mooseng.metadata.command.MetadataCommand.ExpireLeases;
import io.mooseng.metadata.command.MetadataCommand.Held;
import io.mooseng.metadata.command.MetadataCommand.ReleaseLease;
import io.mooseng.metadata.command.MetadataCommand.ReserveInodes;
import io.mooseng.metadata.command.MetadataCommand.Rename;
import io.mooseng.metadata.command.MetadataCommand.Unlink;
import io.mooseng.metadata.command.MetadataCommand.UpdateInode;
import io.mooseng.metadata.command.MetadataCommand.ApplyRemote;
import io.mooseng.metadata.command.MetadataCommand.AddAccessKey;
import io.mooseng.metadata.command.MetadataCommand.BootstrapIdentity;
import io.mooseng.metadata.command.MetadataCommand.ConfigureZone;
import io.mooseng.metadata.command.MetadataCommand.PutUser;
import io.mooseng.metadata.command.MetadataCommand.RemoveUser;
import io.mooseng.metadata.command.MetadataCommand.RevokeAccessKey;
import io.mooseng.metadata.command.MetadataCommand.SaveSyncCursors;
import io.mooseng.metadata.command.MetadataCommand.TrimSyncLog;
import io.mooseng.metadata.command.MetadataCommand.SaveParkedChanges;
import io.mooseng.metadata.command.MetadataQuery.ParkedChanges;
import io.mooseng.metadata.command.MetadataQuery.GetIdentities;
import io.mooseng.metadata.command.MetadataQuery.GetSyncState;
import io.mooseng.metadata.command.MetadataQuery.ReadSyncLog;
import io.mooseng.metadata.command.MetadataQuery.SyncBuckets;
import io.mooseng.metadata.command.MetadataQuery.SyncCursors;
import io.mooseng.metadata.command.MetadataQuery.SyncLogHeads;
import io.mooseng.metadata.command.MetadataQuery.SyncListing;
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
import io.mooseng.metadata.command.MetadataQuery.ReportMount;
import io.mooseng.metadata.command.MetadataQuery.ReportUnmount;
import io.mooseng.metadata.command.MetadataQuery.ListMounts;
import io.mooseng.core.metadata.MountRegistry;
import io.mooseng.metadata.command.MetadataQuery.ReportMaintenance;
import io.mooseng.metadata.command.MetadataQuery.ReportDamagedShards;
import io.mooseng.metadata.command.MetadataQuery.TakeDamagedBlocks;
import io.mooseng.metadata.command.MetadataQuery.ChangesSince;
import io.mooseng.metadata.command.MetadataQuery.HeldQuery;
import io.mooseng.metadata.command.MetadataQuery.SilentLeaseHolders;
import io.mooseng.core.metadata.DirectoryLeases;
import io.mooseng.core.model.DamagedBlock;
import io.mooseng.core.model.QueuedShards;
import io.mooseng.core.model.ShardId;
import io.mooseng.metadata.store.NodeShard;
import io.mooseng.core.model.LeasedDirectory;
import io.mooseng.core.model.NamespaceChange;
import io.mooseng.core.model.NamespaceChanges;
import io.mooseng.metadata.command.Reply;
import io.mooseng.metadata.store.LeaseConflict;
import io.mooseng.metadata.store.Namespace;
import io.mooseng.metadata.store.NamespaceStore.Transaction;
import io.mooseng.metadata.store.StoreFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
    static byte[] apply(Transaction tx, byte[] logData, LeaseWatch watch, Consumer<MetadataCommand<?>> applied) {
        MetadataCommand<?> command;
        try {
            command = CommandCodec.decode(logData);
        } catch (IllegalArgumentException e) {
            return Reply.error(new MooseException(ErrorCode.INTERNAL, "malformed command: " + e.getMessage()));
        }
        if (command instanceof Batch batch) {
            List<byte[]> replies = new ArrayList<>(batch.commands().size());
            batch.commands().forEach(c -> replies.add(applyOne(tx, c, watch, applied)));
            return Reply.batch(replies);
        }
        return applyOne(tx, command, watch, applied);
    }

    /**
     * Answers a query (each of a batch's, from the same snapshot), with the nodes' reports where
     * it asks for them; only a {@link StoreFailure} escapes.
     */
    static byte[] query(Namespace ns, NodeReports reports, NamespaceChangeLog changes, LeaseWatch watch, byte[] request) {
        MetadataQuery<?> query;
        try {
            query = CommandCodec.decodeQuery(request);
        } catch (RuntimeException e) {
            return Reply.error(new MooseException(ErrorCode.INTERNAL, "malformed query: " + e.getMessage()));
        }
        if (query instanceof MetadataQuery.Batch batch) {
            List<byte[]> replies = new ArrayList<>(batch.queries().size());
            batch.queries().forEach(q -> replies.add(queryOne(ns, reports, changes, watch, q)));
            return Reply.batch(replies);
        }
        return queryOne(ns, reports, changes, watch, query);
    }

    /**
     * Answers a query of a caller in this process with the value itself, no codec between;
     * failures are thrown as the encoded path would reply them.
     */
    @SuppressWarnings("unchecked")
    static <R> R answer(Namespace ns, NodeReports reports, NamespaceChangeLog changes, LeaseWatch watch, MetadataQuery<R> query) {
        UUID holder = null;
        MetadataQuery<?> plain = query;
        if (query instanceof HeldQuery<?> held) {
            holder = held.holder();
            plain = held.query();
            heardFrom(watch, holder);
        }
        try {
            return (R) execute(ns, reports, changes, watch, plain, holder, Answer.VALUE);
        } catch (LeaseConflict e) {
            watch.recall(e.holder(), e.dir());
            throw e;
        } catch (MooseException | StoreFailure e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("query failed", e);
            throw new MooseException(ErrorCode.INTERNAL, "query failed: " + e);
        }
    }

    /** What a query's answer becomes: its encoded reply (for the wire) or the value itself (a caller in this process). */
    private interface Answer<X> {
        <R> X of(MetadataQuery<R> query, R value);

        Answer<byte[]> ENCODED = new Answer<>() {
            @Override
            public <R> byte[] of(MetadataQuery<R> query, R value) {
                return Reply.ok(query.replyCodec(), value);
            }
        };
        Answer<Object> VALUE = new Answer<>() {
            @Override
            public <R> Object of(MetadataQuery<R> query, R value) {
                return value;
            }
        };
    }

    private static byte[] queryOne(Namespace ns, NodeReports reports, NamespaceChangeLog changes, LeaseWatch watch, MetadataQuery<?> query) {
        try {
            UUID holder = null;
            if (query instanceof HeldQuery<?> held) {
                holder = held.holder();
                query = held.query();
                heardFrom(watch, holder);
            }
            return execute(ns, reports, changes, watch, query, holder, Answer.ENCODED);
        } catch (LeaseConflict e) {
            watch.recall(e.holder(), e.dir());
            return Reply.error(e);
        } catch (MooseException e) {
            return Reply.error(e);
        } catch (StoreFailure e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("query failed", e);
            return Reply.error(new MooseException(ErrorCode.INTERNAL, "query failed: " + e));
        }
    }

    private static byte[] applyOne(Transaction tx, MetadataCommand<?> command, LeaseWatch watch, Consumer<MetadataCommand<?>> applied) {
        UUID holder = command instanceof Held<?> held ? held.holder() : null;
        MetadataCommand<?> plain = command instanceof Held<?> held ? held.command() : command;
        try {
            byte[] reply = tx.atomically(ns -> {
                if (command instanceof Held<?> held) {
                    ns.leases().checkFence(held.holder(), held.fence());
                }
                checkLeases(ns, plain, holder);
                byte[] r = execute(ns, plain, holder);
                removedPaths(plain).forEach(p -> ns.leases().pathGone(p.bucket(), p.dir()));
                return r;
            });
            if (holder != null) {
                heardFrom(watch, holder);
            }
            switch (plain) {
                case ReleaseLease c -> watch.released(holder, new LeasedDirectory(c.bucket(), c.dir()));
                case ExpireLeases c -> watch.expired(c.holder());
                default -> {
                }
            }
            applied.accept(plain);
            return reply;
        } catch (LeaseConflict e) {
            // an acquisition gives way: two mounts in one directory take turns with synchronous changes, not leases
            if (!(plain instanceof AcquireLease)) {
                watch.recall(e.holder(), e.dir());
            }
            return Reply.error(e);
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

    /** Refuses a change that reaches a directory another holder leases (the names it changes, see the change log). */
    private static void checkLeases(Namespace ns, MetadataCommand<?> command, UUID holder) {
        for (NamespaceChange c : NamespaceChangeLog.changesOf(0, command)) {
            switch (c.kind()) {
                case NAME, TREE -> ns.leases().checkChange(c.bucket(), path(c.key()), holder);
                case BUCKET -> ns.leases().checkChange(c.bucket(), "", holder);
                // an inode's content or attributes: no name changes, and open files follow their inode anyway
                case INODE -> {
                }
            }
        }
    }

    /** Directories a command removes or moves away: their leases (the command's holder's own) end. */
    private static List<LeasedDirectory> removedPaths(MetadataCommand<?> command) {
        return switch (command) {
            case Unlink c when c.directory() -> List.of(new LeasedDirectory(c.bucket(), path(c.key())));
            case Rename c -> List.of(new LeasedDirectory(c.bucket(), path(c.from())), new LeasedDirectory(c.bucket(), path(c.to())));
            case DeleteObject c when c.key().endsWith("/") -> List.of(new LeasedDirectory(c.bucket(), path(c.key())));
            case DeleteObjectVersion c when c.key().endsWith("/") -> List.of(new LeasedDirectory(c.bucket(), path(c.key())));
            case DeleteBucket c -> List.of(new LeasedDirectory(c.name(), ""));
            default -> List.of();
        };
    }

    /** A key as a directory path: without a marker's trailing "/". */
    private static String path(String key) {
        return key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    }

    /** The directory holding a key's entry ("" for the bucket's root). */
    private static String parentOf(String key) {
        String p = path(key);
        int slash = p.lastIndexOf('/');
        return slash < 0 ? "" : p.substring(0, slash);
    }

    /** Background work holds no lease: the leader need not hear from it. */
    private static void heardFrom(LeaseWatch watch, UUID holder) {
        if (!DirectoryLeases.BACKGROUND.equals(holder)) {
            watch.heardFrom(holder);
        }
    }

    private static UUID requireHolder(UUID holder) {
        if (holder == null || DirectoryLeases.BACKGROUND.equals(holder)) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "leases are taken and given back, and mounts reported, by a lease holder's client");
        }
        return holder;
    }

    /** The command's answer in its own reply codec: the compiler checks the pair. */
    private static <R> byte[] reply(MetadataCommand<R> command, R value) {
        return Reply.ok(command.replyCodec(), value);
    }

    private static byte[] execute(Namespace ns, MetadataCommand<?> command, UUID holder) {
        return switch (command) {
            case CreateBucket c -> reply(c, ns.createBucket(c.name(), c.defaultClass(), c.createdMillis()));
            case DeleteBucket c -> {
                ns.deleteBucket(c.name());
                yield reply(c, null);
            }
            case PutObject c -> reply(c, ns.putObject(c.bucket(), c.key(), c.manifest(), c.condition()));
            case DeleteObject c -> reply(c, ns.deleteObject(c.bucket(), c.key(), c.deletedMillis(), c.condition()));
            case DeleteObjectVersion c -> reply(c, ns.deleteObjectVersion(c.bucket(), c.key(), c.versionId(), c.deletedMillis(),
                    c.condition(), c.bypassGovernance()));
            case MetadataCommand.SetObjectRetention c -> reply(c, ns.setObjectRetention(c.bucket(), c.key(), c.versionId(), c.mode(),
                    c.untilMillis(), c.bypassGovernance(), c.nowMillis()));
            case MetadataCommand.SetObjectLegalHold c -> reply(c, ns.setObjectLegalHold(c.bucket(), c.key(), c.versionId(), c.on()));
            case CreateUpload c -> reply(c, ns.createUpload(c.bucket(), c.key(), c.uploadId(), c.properties(),
                    c.storageClass(), c.initiatedMillis(), c.encryption(), c.checksum()));
            case PutPart c -> reply(c, ns.putPart(c.bucket(), c.key(), c.uploadId(), c.part()));
            case CompleteUpload c -> reply(c, ns.completeUpload(c.bucket(), c.key(), c.uploadId(), c.parts(),
                    c.minPartSize(), c.mtimeMillis(), c.condition()));
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
            case CreateEntry c -> reply(c, ns.createEntry(c.bucket(), c.key(), c.manifest(), c.inode()));
            case UpdateInode c -> reply(c, ns.updateInode(c.bucket(), c.inode(), c.update(), c.key()));
            case Rename c -> reply(c, ns.rename(c.bucket(), c.from(), c.to(), c.mode(), c.changedMillis()));
            case Link c -> reply(c, ns.link(c.bucket(), c.existing(), c.newKey(), c.changedMillis()));
            case Unlink c -> reply(c, ns.unlink(c.bucket(), c.key(), c.directory(), c.deletedMillis()));
            case AcquireLease c -> {
                ns.acquireLease(c.bucket(), c.dir(), requireHolder(holder));
                yield reply(c, null);
            }
            case ReleaseLease c -> {
                ns.leases().release(new LeasedDirectory(c.bucket(), c.dir()), requireHolder(holder));
                yield reply(c, null);
            }
            case ExpireLeases c -> {
                ns.leases().expire(c.holder());
                yield reply(c, null);
            }
            case ReserveInodes c -> reply(c, ns.reserveInodes(c.count()));
            case ConfigureZone c -> reply(c, ns.configureZone(c.localZone(), c.group()));
            case BootstrapIdentity c -> reply(c, ns.bootstrapIdentity(c.clusterKey(), c.admin(), c.adminKey()));
            case PutUser c -> reply(c, ns.putUser(c.user(), c.create()));
            case RemoveUser c -> reply(c, ns.removeUser(c.name()));
            case AddAccessKey c -> reply(c, ns.addAccessKey(c.key()));
            case RevokeAccessKey c -> reply(c, ns.revokeAccessKey(c.accessKey()));
            case MetadataCommand.SetAccessKeyEnabled c -> reply(c, ns.setAccessKeyEnabled(c.accessKey(), c.enabled()));
            case MetadataCommand.ApplyRemoteIdentity c -> reply(c, ns.applyRemoteIdentity(c.entry(), c.sealedHere()));
            case MetadataCommand.ResealObject c -> reply(c, ns.resealObject(c.inode(), c.expectedWrappedKey(), c.wrappedKey()));
            case MetadataCommand.ResealUpload c -> reply(c, ns.resealUpload(c.bucket(), c.key(), c.uploadId(), c.expectedWrappedKey(),
                    c.wrappedKey()));
            case MetadataCommand.ResealAccessKey c -> reply(c, ns.resealAccessKey(c.accessKey(), c.expectedSealed(), c.sealed()));
            case MetadataCommand.RegisterClusterKey c -> reply(c, ns.registerClusterKey(c.expected(), c.clusterKey()));
            case ApplyRemote c -> reply(c, ns.applyRemote(c.entry(), c.content()));
            case SaveParkedChanges c -> {
                ns.saveParkedChanges(c.peer(), c.parked());
                yield reply(c, null);
            }
            case TrimSyncLog c -> {
                ns.trimSyncLog(c.consumed(), c.keepAtMost());
                yield reply(c, null);
            }
            case SaveSyncCursors c -> {
                ns.saveSyncCursors(c.peer(), c.cursors());
                yield reply(c, null);
            }
            case MetadataCommand.SaveAntiEntropyRun c -> {
                ns.saveAntiEntropyRun(c.peer(), c.run());
                yield reply(c, null);
            }
            case MetadataCommand.PauseSync c -> {
                ns.pauseSync(c.paused());
                yield reply(c, null);
            }
            case MetadataCommand.PutNotifyTarget c -> {
                ns.notifications().putTarget(c.target());
                yield reply(c, null);
            }
            case MetadataCommand.RemoveNotifyTarget c -> reply(c, ns.notifications().removeTarget(c.name()));
            case MetadataCommand.AckNotifications c -> {
                ns.notifications().ack(c.sequences());
                yield reply(c, null);
            }
            // unpacked by apply(); neither nests
            case Batch c -> throw new IllegalArgumentException("a batch inside a batch");
            case Held<?> c -> throw new IllegalArgumentException("a held command inside a held command");
        };
    }

    private static <X> X execute(Namespace ns, NodeReports reports, NamespaceChangeLog changes, LeaseWatch watch, MetadataQuery<?> query,
                                 UUID holder, Answer<X> answer) {
        return switch (query) {
            case GetBucket q -> answer.of(q, ns.getBucket(q.name()));
            case ListBuckets q -> answer.of(q, ns.listBuckets());
            case GetObject q -> {
                ns.leases().checkRead(q.bucket(), parentOf(q.key()), holder);
                yield answer.of(q, ns.getObject(q.bucket(), q.key()));
            }
            case ListObjects q -> {
                String prefix = q.request().prefix();
                String dir = prefix.lastIndexOf('/') < 0 ? "" : prefix.substring(0, prefix.lastIndexOf('/'));
                if ("/".equals(q.request().delimiter())) {
                    ns.leases().checkRead(q.bucket(), dir, holder);
                } else {
                    ns.leases().checkListing(q.bucket(), dir, prefix, holder);
                }
                yield answer.of(q, ns.listObjects(q.bucket(), q.request()));
            }
            case GetObjectVersion q -> {
                ns.leases().checkRead(q.bucket(), parentOf(q.key()), holder);
                yield answer.of(q, ns.getObjectVersion(q.bucket(), q.key(), q.versionId()));
            }
            case ListObjectVersions q -> {
                String prefix = q.request().prefix();
                ns.leases().checkListing(q.bucket(), prefix.lastIndexOf('/') < 0 ? "" : prefix.substring(0, prefix.lastIndexOf('/')), prefix,
                        holder);
                yield answer.of(q, ns.listObjectVersions(q.bucket(), q.request()));
            }
            case GetUpload q -> answer.of(q, ns.getUpload(q.bucket(), q.key(), q.uploadId()));
            case ListParts q -> answer.of(q, ns.listParts(q.bucket(), q.key(), q.uploadId()));
            case ListUploads q -> answer.of(q, ns.listUploads(q.bucket(), q.prefix()));
            case ListChunkservers q -> answer.of(q, reports.chunkservers(ns.listChunkservers()));
            case ListGateways q -> answer.of(q, reports.gateways(ns.listGateways()));
            case ReportChunkserver q -> answer.of(q, reports.report(q.info(), ns.chunkserver(q.info().id())));
            case ReportGateway q -> answer.of(q, reports.report(q.info(), ns.gateway(q.info().id())));
            case ReportMount q -> {
                watch.mount(requireHolder(holder), q.info());
                yield answer.of(q, null);
            }
            case ReportUnmount q -> {
                watch.unmounted(requireHolder(holder));
                yield answer.of(q, null);
            }
            case ListMounts q -> answer.of(q, watch.mounts(MountRegistry.FORGET_AFTER_MILLIS));
            case ScanBlocks q -> answer.of(q, ns.scanBlocks(q.after(), q.limit()));
            case ListTrash q -> answer.of(q, ns.listTrash(q.bucket()));
            case MetadataQuery.GetTrashed q -> answer.of(q, ns.trashedObject(q.bucket(), q.inode()));
            case Lookup q -> {
                if (!q.path().isEmpty()) {
                    // a directory's own lease does not hold back its attributes (nor, then, the root's)
                    ns.leases().checkRead(q.bucket(), parentOf(q.path()), holder);
                }
                yield answer.of(q, ns.lookup(q.bucket(), q.path()));
            }
            case ReadDirectory q -> {
                ns.leases().checkRead(q.bucket(), path(q.dir()), holder);
                yield answer.of(q, ns.readDirectory(q.bucket(), q.dir(), q.after(), q.limit()));
            }
            case GetMaintenance q -> answer.of(q, reports.maintenance());
            case ReportMaintenance q -> {
                reports.maintenance(q.report());
                yield answer.of(q, null);
            }
            case ReportDamagedShards q -> {
                ns.block(q.block()).ifPresent(b -> reports.damaged(q.block(), q.shards(), b.storageClass().parityShards()));
                yield answer.of(q, null);
            }
            case MetadataQuery.ShardsOnNode q -> answer.of(q, ns.shardsOnNode(q.node(), q.after(), Math.clamp(q.limit(), 1, 10_000))
                    .stream().map(NodeShard::shard).toList());
            case MetadataQuery.GetBlocks q -> answer.of(q, q.ids().stream().flatMap(id -> ns.block(id).stream()).toList());
            case MetadataQuery.CountBlocks q -> answer.of(q, ns.blockCount());
            case MetadataQuery.ReportLostShards q -> {
                for (ShardId shard : q.shards()) {
                    ns.block(shard.block()).filter(b -> shard.index() < b.shardNodes().size()
                                    && b.shardNodes().get(shard.index()).equals(q.chunkserver()))
                            .ifPresent(b -> reports.damaged(b.id(), List.of(shard.index()), b.storageClass().parityShards()));
                }
                yield answer.of(q, null);
            }
            case MetadataQuery.QueueShardsOfNode q -> answer.of(q, queueShardsOfNode(ns, reports, q));
            case ChangesSince q -> {
                NamespaceChanges c = changes.since(q.after(), q.limit(), q.skipClient());
                yield answer.of(q, holder == null ? c : c.withLeases(watch.recalls(holder, dir -> ns.leases().holds(dir, holder)), ns.leases().fence(holder)));
            }
            case SilentLeaseHolders q -> answer.of(q, watch.silent(ns.leases().holders(), DirectoryLeases.TTL.toMillis()));
            case GetSyncState q -> answer.of(q, ns.syncState());
            case GetIdentities q -> answer.of(q, ns.identities(q.knownVersion()));
            case ReadSyncLog q -> answer.of(q, ns.readSyncLog(q.shard(), q.after(), Math.clamp(q.limit(), 1, 10_000)));
            case SyncListing q -> answer.of(q, ns.syncListing(q.bucket(), q.afterKey(), Math.clamp(q.limit(), 1, 10_000)));
            case SyncBuckets q -> answer.of(q, ns.syncBuckets());
            case MetadataQuery.SyncIdentities q -> answer.of(q, ns.syncIdentities());
            case MetadataQuery.SyncDigest q -> answer.of(q, ns.syncDigest(q.bucket(), io.mooseng.core.model.SyncDigest.checkRange(q.range()), q.peer(), q.afterKey(),
                    Math.clamp(q.limit(), 1, 10_000), q.withEntries()));
            case MetadataQuery.AntiEntropyRunOf q -> answer.of(q, ns.antiEntropyRun(q.peer()));
            case MetadataQuery.SyncPaused q -> answer.of(q, ns.syncPaused());
            case MetadataQuery.KeyStamp q -> answer.of(q, ns.keyStamp(q.bucket(), q.key()));
            case SyncCursors q -> answer.of(q, ns.syncCursors(q.peer()));
            case SyncLogHeads q -> answer.of(q, ns.syncLogHeads());
            case MetadataQuery.SyncReplicated q -> answer.of(q, ns.syncReplicated());
            case ParkedChanges q -> answer.of(q, ns.parkedChanges(q.peer()));
            case MetadataQuery.ListNotifyTargets q -> answer.of(q, ns.notifications().targets());
            case MetadataQuery.PendingNotifications q -> answer.of(q, ns.notifications().pending(q.after(), Math.clamp(q.limit(), 1, 10_000)));
            // unpacked by query()
            case HeldQuery<?> q -> throw new IllegalArgumentException("a held query inside a held query");
            case MetadataQuery.Batch q -> throw new IllegalArgumentException("a batch inside a batch");
            case TakeDamagedBlocks q -> answer.of(q, reports.takeDamaged(q.limit()).stream()
                    .flatMap(d -> ns.block(d.getKey()).map(b -> new DamagedBlock(b, d.getValue())).stream()).toList());
        };
    }

    /** Queues a page of a lost chunkserver's shards from the node index, stopping where the queue fills. */
    private static QueuedShards queueShardsOfNode(Namespace ns, NodeReports reports, MetadataQuery.QueueShardsOfNode q) {
        List<NodeShard> page = ns.shardsOnNode(q.node(), q.after(), Math.clamp(q.limit(), 1, 10_000));
        ShardId after = q.after();
        int queued = 0;
        for (NodeShard s : page) {
            if (!reports.damaged(s.shard().block(), List.of(s.shard().index()), s.parityShards())) {
                return new QueuedShards(after, queued, false);
            }
            after = s.shard();
            queued++;
        }
        return new QueuedShards(after, queued, page.size() < Math.clamp(q.limit(), 1, 10_000));
    }
}
