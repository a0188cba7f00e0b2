package io.mooseng.metadata.store;

import io.mooseng.metadata.store.NamespaceSchema.Table;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;

/** A read-only view of one point in time, so a multi-step query sees no half-applied entry. */
final class SnapshotView implements KvView, AutoCloseable {
    private final NamespaceDb db;
    private final Snapshot snapshot;
    private final ReadOptions options;

    SnapshotView(NamespaceDb db) {
        this.db = db;
        this.snapshot = db.snapshot();
        this.options = new ReadOptions().setSnapshot(snapshot);
    }

    @Override
    public byte[] get(Table table, byte[] key) {
        try {
            return db.db().get(db.handle(table), options, key);
        } catch (RocksDBException e) {
            throw new StoreFailure("read failed", e);
        }
    }

    @Override
    public Cursor seek(Table table, byte[] from) {
        Cursor c = new Cursor(db.db().newIterator(db.handle(table), options));
        c.seek(from);
        return c;
    }

    @Override
    public Cursor seekWithin(Table table, byte[] prefix, byte[] from) {
        return Cursor.within(options, prefix, from, bounded -> db.db().newIterator(db.handle(table), bounded));
    }

    @Override
    public void put(Table table, byte[] key, byte[] value) {
        throw new IllegalStateException("read-only view");
    }

    @Override
    public void delete(Table table, byte[] key) {
        throw new IllegalStateException("read-only view");
    }

    @Override
    public void close() {
        options.close();
        db.release(snapshot);
    }
}
