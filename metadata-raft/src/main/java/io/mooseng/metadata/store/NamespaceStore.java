package io.mooseng.metadata.store;

import io.mooseng.metadata.store.NamespaceSchema.Table;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The namespace of one replica in RocksDB, with no knowledge of Raft. Mutations come in
 * log entries: {@link #apply} runs an entry's commands in one WriteBatch that also records
 * the entry's position, so state and last-applied index are always consistent. Queries
 * read a consistent snapshot.
 *
 * <p>Threading: one thread applies entries; any number may query concurrently.
 * {@link #close()} waits for running operations, later ones fail with IllegalStateException.
 */
public final class NamespaceStore implements AutoCloseable {
    private final NamespaceDb db;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile LogPosition applied;
    private boolean closed;

    private NamespaceStore(NamespaceDb db) {
        this.db = db;
        if (db.get(Table.META, NamespaceSchema.nodeShardsBuiltKey()) == null) {
            BlockIndex.rebuild(db);
        }
        if (db.get(Table.META, NamespaceSchema.subdirsBuiltKey()) == null) {
            Dentries.rebuild(db);
        }
        byte[] v = db.get(Table.META, NamespaceSchema.appliedKey());
        this.applied = v == null ? LogPosition.NONE : NamespaceSchema.decodeApplied(v);
    }

    /** Opens (or creates) the store in {@code dir}. */
    public static NamespaceStore open(Path dir) {
        return new NamespaceStore(NamespaceDb.open(dir));
    }

    /** Position of the last entry applied, {@link LogPosition#NONE} for a new store. */
    public LogPosition applied() {
        return applied;
    }

    /**
     * Applies the entry at {@code position}: {@code body} runs its commands against a
     * {@link Transaction}; their writes and the position are then committed atomically.
     */
    public <T> T apply(LogPosition position, Function<Transaction, T> body) {
        lock.readLock().lock();
        try {
            ensureOpen();
            try (BatchView view = new BatchView(db)) {
                T result = body.apply(new Transaction(view, new Namespace(view, new InodeAllocator(position.index()))));
                view.put(Table.META, NamespaceSchema.appliedKey(), NamespaceSchema.encodeApplied(position));
                view.commit();
                applied = position;
                return result;
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs a query against a consistent snapshot. */
    public <T> T read(Function<Namespace, T> query) {
        lock.readLock().lock();
        try {
            ensureOpen();
            try (SnapshotView view = new SnapshotView(db)) {
                return query.apply(new Namespace(view, null));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Writes a consistent copy of the store to {@code target}, which must not exist yet. */
    public void checkpoint(Path target) {
        lock.readLock().lock();
        try {
            ensureOpen();
            db.checkpoint(target);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                db.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("namespace store is closed");
        }
    }

    /** The commands of one log entry, sharing its write batch. */
    public static final class Transaction {
        private final BatchView view;
        private final Namespace namespace;

        private Transaction(BatchView view, Namespace namespace) {
            this.view = view;
            this.namespace = namespace;
        }

        /** Runs one command: if it throws, none of its writes remain in the batch. */
        public <T> T atomically(Function<Namespace, T> command) {
            view.setSavePoint();
            T result;
            try {
                result = command.apply(namespace);
            } catch (RuntimeException e) {
                view.rollbackToSavePoint();
                throw e;
            }
            view.popSavePoint();
            return result;
        }
    }
}
