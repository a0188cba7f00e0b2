package io.mooseng.metadata.store;

import io.mooseng.metadata.store.NamespaceSchema.Table;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Filter;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The RocksDB instance of one replica and every native object it owns; {@link #close()}
 * releases them all. Writes use sync=false with the WAL on: the Raft log is the durable
 * record, and a write lost in an OS crash is replayed from it (the last-applied index is in
 * the same batch, so state and index never disagree).
 *
 * <p>Reads: one LRU block cache of {@value #BLOCK_CACHE_BYTES} bytes for all column families
 * (native memory, filled as blocks are read; RocksDB's default is 32 MiB per table factory,
 * which a bucket of 20,000 inlined 4 KiB objects already outgrew, so GETs read and
 * decompressed SST blocks again and again) and Bloom filters, so a lookup of an absent name
 * rarely reads a data block.
 */
final class NamespaceDb implements AutoCloseable {
    static {
        RocksDbLibrary.load();
    }

    static final long BLOCK_CACHE_BYTES = 256L << 20;
    private static final double BLOOM_BITS_PER_KEY = 10;

    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final Cache blockCache;
    private final Filter bloom;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    private final List<ColumnFamilyHandle> handles;
    private final Map<Table, ColumnFamilyHandle> tables = new EnumMap<>(Table.class);
    private final RocksDB db;

    private NamespaceDb(DBOptions dbOptions, ColumnFamilyOptions cfOptions, Cache blockCache, Filter bloom,
                        List<ColumnFamilyHandle> handles, RocksDB db) {
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.blockCache = blockCache;
        this.bloom = bloom;
        this.handles = handles;
        this.db = db;
        this.writeOptions = new WriteOptions().setSync(false);
        this.readOptions = new ReadOptions();
        Table[] all = Table.values();
        for (int i = 0; i < all.length; i++) {
            tables.put(all[i], handles.get(i + 1));
        }
    }

    static NamespaceDb open(Path dir) {
        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(2)
                .setMaxBackgroundJobs(2);
        Cache blockCache = new LRUCache(BLOCK_CACHE_BYTES);
        Filter bloom = new BloomFilter(BLOOM_BITS_PER_KEY);
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(blockCache).setFilterPolicy(bloom));
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Table t : Table.values()) {
            descriptors.add(new ColumnFamilyDescriptor(t.columnFamilyName(), cfOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
            return new NamespaceDb(dbOptions, cfOptions, blockCache, bloom, handles, db);
        } catch (RocksDBException | java.io.IOException e) {
            handles.forEach(ColumnFamilyHandle::close);
            cfOptions.close();
            blockCache.close();
            bloom.close();
            dbOptions.close();
            throw new StoreFailure("cannot open RocksDB at " + dir, e);
        }
    }

    ColumnFamilyHandle handle(Table table) {
        return tables.get(table);
    }

    RocksDB db() {
        return db;
    }

    ReadOptions readOptions() {
        return readOptions;
    }

    byte[] get(Table table, byte[] key) {
        try {
            return db.get(handle(table), readOptions, key);
        } catch (RocksDBException e) {
            throw new StoreFailure("read failed", e);
        }
    }

    void write(WriteBatchWithIndex batch) {
        try {
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new StoreFailure("write failed", e);
        }
    }

    Snapshot snapshot() {
        return db.getSnapshot();
    }

    void release(Snapshot snapshot) {
        db.releaseSnapshot(snapshot);
        snapshot.close();
    }

    /** Writes a consistent copy (hard links where possible) to {@code target}, which must not exist. */
    void checkpoint(Path target) {
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new StoreFailure("checkpoint to " + target + " failed", e);
        }
    }

    @Override
    public void close() {
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        readOptions.close();
        writeOptions.close();
        cfOptions.close();
        blockCache.close();
        bloom.close();
        dbOptions.close();
    }
}
