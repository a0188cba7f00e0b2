package io.mooseng.metadata.store;

import io.mooseng.metadata.store.NamespaceSchema.Table;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

import static io.mooseng.metadata.store.NamespaceSchema.dentryKey;
import static io.mooseng.metadata.store.NamespaceSchema.encodeDentry;
import static io.mooseng.metadata.store.NamespaceSchema.inodeKey;

/**
 * The writer of directory entries ({@code dentries}) and, in the same batch, of each
 * directory's count of the directories it holds ({@code subdirs}; stat(2) shows a directory's
 * link count as 2 + that count). Every put and delete of an entry goes through here, so no
 * change of the tree can leave the count behind.
 */
final class Dentries {
    private static final Logger LOG = LoggerFactory.getLogger(Dentries.class);
    private static final int REBUILD_BATCH = 10_000;
    private static final byte DIRECTORY_MARK = '/';

    private final KvView kv;

    Dentries(KvView kv) {
        this.kv = kv;
    }

    /** {@code parent} holds {@code sortName} -> {@code child} (added or re-pointed). */
    void put(long parent, String sortName, long child) {
        byte[] key = dentryKey(parent, sortName);
        if (directory(key) && kv.get(Table.DENTRIES, key) == null) {
            count(parent, 1);
        }
        kv.put(Table.DENTRIES, key, encodeDentry(child));
    }

    /** {@code parent} no longer holds {@code sortName} (nothing if it did not). */
    void delete(long parent, String sortName) {
        byte[] key = dentryKey(parent, sortName);
        if (directory(key) && kv.get(Table.DENTRIES, key) != null) {
            count(parent, -1);
        }
        kv.delete(Table.DENTRIES, key);
    }

    /** How many directories {@code dir} holds. */
    long subdirectories(long dir) {
        return NamespaceSchema.decodeCount(kv.get(Table.SUBDIRS, inodeKey(dir)));
    }

    private void count(long dir, long delta) {
        long n = subdirectories(dir) + delta;
        if (n == 0) {
            kv.delete(Table.SUBDIRS, inodeKey(dir));
        } else {
            kv.put(Table.SUBDIRS, inodeKey(dir), NamespaceSchema.encodeCount(n));
        }
    }

    /** A directory's sort name ends with "/" (a byte no multi-byte UTF-8 sequence holds). */
    private static boolean directory(byte[] dentryKey) {
        return dentryKey[dentryKey.length - 1] == DIRECTORY_MARK;
    }

    /**
     * Counts every directory's subdirectories from the entries, for a store written before the
     * counts existed (or a rebuild cut short by a crash: the marker is written last). Runs at
     * open, before any entry is applied; entries sort by parent, so each count is written once.
     */
    static void rebuild(NamespaceDb db) {
        try {
            db.db().deleteRange(db.handle(Table.SUBDIRS), new byte[0], new byte[]{(byte) 0xFF});
        } catch (RocksDBException e) {
            throw new StoreFailure("clearing the subdirectory counts failed", e);
        }
        long directories = 0;
        try (RocksIterator it = db.db().newIterator(db.handle(Table.DENTRIES), db.readOptions())) {
            it.seekToFirst();
            while (it.isValid()) {
                try (BatchView batch = new BatchView(db)) {
                    for (int n = 0; n < REBUILD_BATCH && it.isValid(); n++) {
                        byte[] parent = Arrays.copyOf(it.key(), 8);
                        long count = 0;
                        for (; it.isValid() && Arrays.equals(it.key(), 0, 8, parent, 0, 8); it.next()) {
                            count += directory(it.key()) ? 1 : 0;
                        }
                        if (count > 0) {
                            batch.put(Table.SUBDIRS, parent, NamespaceSchema.encodeCount(count));
                            directories++;
                        }
                    }
                    batch.commit();
                }
            }
        }
        try (BatchView batch = new BatchView(db)) {
            batch.put(Table.META, NamespaceSchema.subdirsBuiltKey(), new byte[]{NamespaceSchema.VALUE_VERSION});
            batch.commit();
        }
        if (directories > 0) {
            LOG.info("subdirectory counts rebuilt from the directory entries: directories={}", directories);
        }
    }
}
