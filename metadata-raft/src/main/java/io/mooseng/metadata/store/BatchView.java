package io.mooseng.metadata.store;

import io.mooseng.metadata.store.NamespaceSchema.Table;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The database seen through the write batch of one log entry: reads see the entry's own
 * earlier writes, so the commands of a batch build on each other before anything is
 * written. Only the applying thread uses it.
 *
 * <p>Point reads are remembered for the entry, and writes keep them current: the commands of
 * a batch read the same bucket, parent directories, fence and leases again and again, and
 * each read through RocksDB costs a JNI call and a copy. Callers never change the arrays they
 * read or hand over to put. A rollback forgets everything remembered.
 */
final class BatchView implements KvView, AutoCloseable {
    /** Remembered reads above this many are forgotten at once (an entry of many large commands). */
    static final int MAX_REMEMBERED = 4096;
    private static final byte[] ABSENT = new byte[0];

    private final NamespaceDb db;
    // overwriteKey=true: a key written twice is one entry, which iterators with base require
    private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
    private final Map<Key, byte[]> remembered = new HashMap<>();

    BatchView(NamespaceDb db) {
        this.db = db;
    }

    @Override
    public byte[] get(Table table, byte[] key) {
        Key k = new Key(table, key);
        byte[] value = remembered.get(k);
        if (value == null) {
            try {
                value = batch.getFromBatchAndDB(db.db(), db.handle(table), db.readOptions(), key);
            } catch (RocksDBException e) {
                throw new StoreFailure("read failed", e);
            }
            remember(k, value == null ? ABSENT : value);
        }
        return value == ABSENT ? null : value;
    }

    private void remember(Key k, byte[] value) {
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear();
        }
        remembered.put(k, value);
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
    public Cursor seekWithin(Table table, byte[] prefix, byte[] from) {
        // the merged iterator owns the base iterator, and both end at the bound
        return Cursor.within(db.readOptions(), prefix, from,
                options -> batch.newIteratorWithBase(db.handle(table), db.db().newIterator(db.handle(table), options), options));
    }

    @Override
    public void put(Table table, byte[] key, byte[] value) {
        try {
            batch.put(db.handle(table), key, value);
        } catch (RocksDBException e) {
            remembered.clear();
            throw new StoreFailure("batch put failed", e);
        }
        remember(new Key(table, key), value);
    }

    @Override
    public void delete(Table table, byte[] key) {
        try {
            batch.delete(db.handle(table), key);
        } catch (RocksDBException e) {
            remembered.clear();
            throw new StoreFailure("batch delete failed", e);
        }
        remember(new Key(table, key), ABSENT);
    }

    void setSavePoint() {
        batch.setSavePoint();
    }

    void rollbackToSavePoint() {
        remembered.clear();
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

    /** A key of one table, compared by content. */
    private record Key(Table table, byte[] bytes, int hash) {
        Key(Table table, byte[] bytes) {
            this(table, bytes, 31 * table.hashCode() + Arrays.hashCode(bytes));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.table == table && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
