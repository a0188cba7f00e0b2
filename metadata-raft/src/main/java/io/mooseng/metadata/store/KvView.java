package io.mooseng.metadata.store;

import io.mooseng.metadata.store.NamespaceSchema.Table;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The key-value operations the namespace logic needs, over either a consistent read
 * snapshot (queries) or the write batch of one log entry layered on the database (apply).
 */
interface KvView {
    /** @return the value or null */
    byte[] get(Table table, byte[] key);

    /** @return a cursor positioned at the first key at or after {@code from}; close it */
    Cursor seek(Table table, byte[] from);

    /**
     * A cursor over the keys that start with {@code prefix}, positioned at the first at or
     * after {@code from} (a key under the prefix, or the prefix itself). It ends where the
     * prefix does: an unbounded cursor that runs out of live keys under the prefix walks on
     * over every deleted key after it, until compaction drops them (an empty directory just
     * before one whose entries were removed costs a walk over all of them).
     */
    Cursor seekWithin(Table table, byte[] prefix, byte[] from);

    default Cursor seekWithin(Table table, byte[] prefix) {
        return seekWithin(table, prefix, prefix);
    }

    /** @return the first key after every key that starts with {@code prefix}, or null when there is none */
    static byte[] endOf(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    void put(Table table, byte[] key, byte[] value);

    void delete(Table table, byte[] key);

    /** A forward iterator over one column family. */
    final class Cursor implements AutoCloseable {
        private final RocksIterator it;
        private final ReadOptions options; // a bounded cursor's own, with its bound; else null
        private final Slice bound;

        Cursor(RocksIterator it) {
            this(it, null, null);
        }

        /** Takes {@code options} and {@code bound}, which the iterator reads until it is closed. */
        Cursor(RocksIterator it, ReadOptions options, Slice bound) {
            this.it = it;
            this.options = options;
            this.bound = bound;
        }

        /**
         * A cursor at {@code from} that ends with {@code prefix}: read options like {@code base}
         * with the prefix's end as upper bound, owned by the cursor, given to {@code open}.
         */
        static Cursor within(ReadOptions base, byte[] prefix, byte[] from, Function<ReadOptions, RocksIterator> open) {
            byte[] end = endOf(prefix);
            Slice bound = end == null ? null : new Slice(end);
            ReadOptions options = new ReadOptions(base);
            if (bound != null) {
                options.setIterateUpperBound(bound);
            }
            Cursor c;
            try {
                c = new Cursor(open.apply(options), options, bound);
            } catch (RuntimeException e) {
                options.close();
                if (bound != null) {
                    bound.close();
                }
                throw e;
            }
            c.seek(from);
            return c;
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
            if (options != null) {
                options.close();
            }
            if (bound != null) {
                bound.close();
            }
        }
    }
}
