package io.mooseng.metadata.store;

import io.mooseng.metadata.store.NamespaceSchema.Table;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

/**
 * The database seen through the write batch of one log entry: reads see the entry's own
 * earlier writes, so the commands of a batch build on each other before anything is
 * written. Only the applying thread uses it.
 */
final class BatchView implements KvView, AutoCloseable {
    private final NamespaceDb db;
    // overwriteKey=true: a key written twice is one entry, which iterators with base require
    private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);

    BatchView(NamespaceDb db) {
        this.db = db;
    }

    @Override
    public byte[] get(Table table, byte[] key) {
        try {
            return batch.getFromBatchAndDB(db.db(), db.handle(table), db.readOptions(), key);
        } catch (RocksDBException e) {
            throw new StoreFailure("read failed", e);
        }
    }

    @Override
    public Cursor seek(Table table, byte[] from) {
        RocksIterator base = db.db().newIterator(db.handle(table), db.readOptions());
        // the merged iterator owns the base iterator from here on
        Cursor c = new Cursor(batch.newIteratorWithBase(db.handle(table), base));
        c.seek(from);
        return c;
    }

    @Override
    public void put(Table table, byte[] key, byte[] value) {
        try {
            batch.put(db.handle(table), key, value);
        } catch (RocksDBException e) {
            throw new StoreFailure("batch put failed", e);
        }
    }

    @Override
    public void delete(Table table, byte[] key) {
        try {
            batch.delete(db.handle(table), key);
        } catch (RocksDBException e) {
            throw new StoreFailure("batch delete failed", e);
        }
    }

    void setSavePoint() {
        batch.setSavePoint();
    }

    void rollbackToSavePoint() {
        try {
            batch.rollbackToSavePoint();
        } catch (RocksDBException e) {
            throw new StoreFailure("rollback failed", e);
        }
    }

    void popSavePoint() {
        try {
            batch.popSavePoint();
        } catch (RocksDBException e) {
            throw new StoreFailure("pop save point failed", e);
        }
    }

    void commit() {
        db.write(batch);
    }

    @Override
    public void close() {
        batch.close();
    }
}
