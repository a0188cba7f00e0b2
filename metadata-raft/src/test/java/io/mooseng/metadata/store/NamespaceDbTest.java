package io.mooseng.metadata.store;

import io.mooseng.metadata.store.NamespaceSchema.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatchWithIndex;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@Timeout(60)
class NamespaceDbTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyTableReadsThroughTheSharedBlockCacheAndFlushedKeysSurviveAReopen(@TempDir Path dir) throws RocksDBException {
        try (NamespaceDb db = NamespaceDb.open(dir); WriteBatchWithIndex batch = new WriteBatchWithIndex()) {
            for (Table t : Table.values()) {
                assertEquals(String.valueOf(NamespaceDb.BLOCK_CACHE_BYTES),
                        db.db().getProperty(db.handle(t), "rocksdb.block-cache-capacity"), t.name());
            }
            for (int i = 0; i < 1000; i++) {
                batch.put(db.handle(Table.META), b("key-" + i), b("value-" + i));
            }
            db.write(batch);
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.db().flush(flush, db.handle(Table.META));
            }
        }
        try (NamespaceDb db = NamespaceDb.open(dir)) {
            assertArrayEquals(b("value-7"), db.get(Table.META, b("key-7")), "read from an SST file, through the filter");
            assertNull(db.get(Table.META, b("key-1000")), "an absent key");
            assertNull(db.get(Table.INODES, b("key-7")), "another table");
        }
    }
}
