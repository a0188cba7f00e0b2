package io.mooseng.core.metadata;

/**
 * The whole metadata service, as one client of the metadata group provides it: the union
 * of its ports, one per concern. Callers that need one concern take that port
 * ({@link NodeRegistry}, {@link BlockTable}, ...) rather than this.
 *
 * <p>Contract of every port: methods are non-blocking and may be called from any thread,
 * including event loops; futures may complete on any thread. Failures complete the future
 * with a {@link io.mooseng.core.error.MooseException}. A completed mutation is durable
 * (committed to the replicated log) and visible to every later read from any client
 * (linearizable). Keys arrive already validated by {@link io.mooseng.core.model.ObjectKey#parse}.
 */
public interface MetadataService extends BucketCatalog, ObjectNamespace, PosixNamespace, DirectoryLeases, NodeRegistry, BlockTable,
        TrashBin, MaintenanceReports, MountRegistry, SyncLog, IdentityStore, NotificationQueue, AutoCloseable {
}
