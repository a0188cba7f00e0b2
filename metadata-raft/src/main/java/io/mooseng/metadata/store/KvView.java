package io.mooseng.metadata.store;

import io.mooseng.metadata.store.NamespaceSchema.Table;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The key-value operations the namespace logic needs, over either a consistent read
 * snapshot (queries) or the write batch of one log entry layered on the database (apply).
 */
interface KvView {
    /** @return the value or null */
    byte[] get(Table table, byte[] key);

    /** @return a cursor positioned at the first key at or after {@code from}; close it */
    Cursor seek(Table table, byte[] from);

    void put(Table table, byte[] key, byte[] value);

    void delete(Table table, byte[] key);

    /** A forward iterator over one column family. */
    final class Cursor implements AutoCloseable {
        private final RocksIterator it;

        Cursor(RocksIterator it) {
            this.it = it;
        }

        boolean valid() {
            if (it.isValid()) {
                return true;
            }
            try {
                it.status();
            } catch (RocksDBException e) {
                throw new StoreFailure("iteration failed", e);
            }
            return false;
        }

        byte[] key() {
            return it.key();
        }

        byte[] value() {
            return it.value();
        }

        void next() {
            it.next();
        }

        void seek(byte[] key) {
            it.seek(key);
        }

        @Override
        public void close() {
            it.close();
        }
    }
}
