package io.mooseng.metadata;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.model.StorageClass;
import io.mooseng.metadata.codec.BinaryReader;
import io.mooseng.metadata.codec.BinaryWriter;
import io.mooseng.metadata.codec.ModelCodec;
import io.mooseng.metadata.command.CommandCodec;
import io.mooseng.metadata.command.MetadataCommand;
import io.mooseng.metadata.command.MetadataQuery;
import io.mooseng.metadata.command.Reply;
import io.mooseng.metadata.store.LogPosition;
import io.mooseng.metadata.store.NamespaceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.mooseng.metadata.Fixtures.manifest;
import io.mooseng.core.checksum.ChecksumAlgorithm;
import io.mooseng.core.checksum.ChecksumType;
import io.mooseng.core.model.ObjectChecksum;
import io.mooseng.core.model.UploadChecksum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wire formats round-trip; a store command that fails leaves none of its writes. */
@Timeout(60)
class StoreAndCodecTest {
    private static final UploadChecksum CRC64_FULL = new UploadChecksum(ChecksumAlgorithm.CRC64NVME, ChecksumType.FULL_OBJECT);
    private static final io.mooseng.core.model.ObjectEncryption SSE_S3 = new io.mooseng.core.model.ObjectEncryption(
            io.mooseng.core.model.ObjectEncryption.Mode.SSE_S3, new byte[16], new byte[] {4, 5, 6}, null);

    @Test
    void commandsRoundTrip() {
        ObjectProperties props = new ObjectProperties(null, Map.of("content-encoding", "gzip"), Map.of("k", "v"));
        PartInfo part = new PartInfo(3, 42, "etag", -5, manifest(42, "etag", 7));
        List<MetadataCommand<?>> commands = List.of(
                new MetadataCommand.CreateBucket("b", StorageClass.erasure(8, 3), -1),
                new MetadataCommand.DeleteBucket("b"),
                new MetadataCommand.PutObject("b", "a/é/😀", manifest(12, "x", 99)),
                new MetadataCommand.DeleteObject("b", "k/", 7),
                new MetadataCommand.CreateUpload("b", "k", "id", props, StorageClass.replicated(3), 5),
                new MetadataCommand.CreateUpload("b", "k", "id", props, StorageClass.replicated(3), 5, SSE_S3),
                new MetadataCommand.CreateUpload("b", "k", "id", props, StorageClass.replicated(3), 5, null, CRC64_FULL),
                new MetadataCommand.CreateUpload("b", "k", "id", props, StorageClass.replicated(3), 5, SSE_S3,
                        new UploadChecksum(ChecksumAlgorithm.SHA256, ChecksumType.COMPOSITE)),
                new MetadataCommand.PutObject("b", "sum", manifest(12, "x", 99).withChecksum(new ObjectChecksum(ChecksumAlgorithm.SHA1,
                        ChecksumType.COMPOSITE, new byte[20], 3))),
                new MetadataCommand.PutPart("b", "k", "id", new PartInfo(4, 42, "etag", -5, manifest(42, "etag", 7)
                        .withChecksum(ObjectChecksum.of(ChecksumAlgorithm.CRC32C, new byte[] {1, 2, 3, 4})))),
                new MetadataCommand.PutPart("b", "k", "id", part),
                new MetadataCommand.PutPart("b", "k", "id", new PartInfo(3, 42, "etag", 5, manifest(42, "etag", 7).encrypted(40, "p", SSE_S3),
                        (3L << 48) | (77L << 24))),
                new MetadataCommand.CompleteUpload("b", "k", "id", List.of(new CompletedPart(1, "\"e\"")), 5 << 20, 8),
                new MetadataCommand.AbortUpload("b", "k", "id"),
                new MetadataCommand.RegisterChunkserver(new ChunkserverInfo("cs", "h:1", Map.of("zone", "z"), 10, 1)),
                new MetadataCommand.SetBucketPolicy("b", io.mooseng.core.model.BucketPolicy.of(StorageClass.replicated(3))
                        .withPrefixClass("logs/", StorageClass.EC_4_2).withTrashRetention(0)
                        .withColdConversion(86_400_000L, StorageClass.erasure(8, 4))),
                new MetadataCommand.SetBucketPolicy("b", io.mooseng.core.model.BucketPolicy.of(StorageClass.replicated(3))
                        .withVersioning(io.mooseng.core.model.Versioning.ENABLED).withLifecycle(List.of(
                                new io.mooseng.core.model.LifecycleRule("r1", true, new io.mooseng.core.model.LifecycleRule.Filter(
                                        "logs/", Map.of("t", "v"), 10, -1), 30, -1, true, 7, 2, 3, List.of(
                                        new io.mooseng.core.model.LifecycleRule.Transition(1, -1, StorageClass.EC_4_2),
                                        new io.mooseng.core.model.LifecycleRule.Transition(-1, 1_700_000_000_000L,
                                                StorageClass.erasure(8, 4))))))),
                // noncurrent transitions follow the object lock's fields (a rule without any in between), the sync rule's tags last
                new MetadataCommand.SetBucketPolicy("b", io.mooseng.core.model.BucketPolicy.of(StorageClass.replicated(3))
                        .withVersioning(io.mooseng.core.model.Versioning.ENABLED)
                        .withSyncRule(new io.mooseng.core.model.SyncRule(true, List.of(), "", List.of("logs/"), Map.of("team", "a")))
                        .withObjectLock(new io.mooseng.core.model.ObjectLockConfig(io.mooseng.core.model.ObjectLock.Mode.GOVERNANCE, 1, 0))
                        .withLifecycle(List.of(
                                new io.mooseng.core.model.LifecycleRule("r1", true, io.mooseng.core.model.LifecycleRule.Filter.ALL, -1, -1,
                                        false, 9, 0, -1, List.of(), List.of(
                                        new io.mooseng.core.model.LifecycleRule.NoncurrentTransition(0, 2, StorageClass.EC_4_2),
                                        new io.mooseng.core.model.LifecycleRule.NoncurrentTransition(5, 0, StorageClass.erasure(8, 4)))),
                                new io.mooseng.core.model.LifecycleRule("r2", false, io.mooseng.core.model.LifecycleRule.Filter.ALL, 3, -1,
                                        false, -1, 0, -1, List.of())))),
                new MetadataCommand.MoveShards(Fixtures.block(5, 10).id(), List.of(new io.mooseng.core.model.ShardMove(0, "a", "b"))),
                new MetadataCommand.ReplaceManifest("b", "k", 77, manifest(3, "r", 4)),
                new MetadataCommand.RestoreTrash("b", 77),
                new MetadataCommand.PurgeTrash("b", 78),
                new MetadataCommand.CreateEntry("b", "d/f", manifest(0, "e", 1), 1L << 20),
                new MetadataCommand.Held<>(new java.util.UUID(3, 4), 2, new MetadataCommand.Unlink("b", "d/f", false, 5)),
                new MetadataCommand.AcquireLease("b", ""),
                new MetadataCommand.ReleaseLease("b", "d"),
                new MetadataCommand.ExpireLeases(new java.util.UUID(5, 6)),
                new MetadataCommand.ReserveInodes(64),
                new MetadataCommand.SetAccessKeyEnabled("AKIA1", false));
        for (MetadataCommand<?> c : commands) {
            assertEquals(c, CommandCodec.decode(CommandCodec.encode(c)));
        }
        MetadataCommand.Batch batch = new MetadataCommand.Batch(commands);
        assertEquals(batch, CommandCodec.decode(CommandCodec.encode(batch)));
        assertThrows(IllegalArgumentException.class, () -> new MetadataCommand.Batch(List.of(batch)));
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(new byte[]{9, 1}));

        List<MetadataQuery<?>> queries = List.of(new MetadataQuery.GetBucket("b"), new MetadataQuery.ListBuckets(),
                new MetadataQuery.GetObject("b", "k"), new MetadataQuery.ListObjects("b", new ListRequest("p", "/", "s", 7)),
                new MetadataQuery.GetUpload("b", "k", "u"), new MetadataQuery.ListParts("b", "k", "u"),
                new MetadataQuery.ListUploads("b", "p"), new MetadataQuery.ListChunkservers(),
                new MetadataQuery.ScanBlocks(null, 10), new MetadataQuery.ScanBlocks(Fixtures.block(5, 10).id(), 3),
                new MetadataQuery.ListTrash("b"), new MetadataQuery.GetMaintenance(),
                new MetadataQuery.ReportMaintenance(new io.mooseng.core.model.MaintenanceReport(1, "m1", 2, 3, 4, 5, 6, 7, 8.5,
                        9, 10, 11, 12, 13, "cs1,cs2", 14, 15, 16, 17)),
                new MetadataQuery.ReportChunkserver(new ChunkserverInfo("cs", "h:1", Map.of("zone", "z"), 10, 1, 9, 5)),
                new MetadataQuery.ReportGateway(new io.mooseng.core.model.GatewayInfo("gw", "h:2", 5, "java-vector")),
                new MetadataQuery.ListGateways(),
                new MetadataQuery.ReportDamagedShards(Fixtures.block(5, 10).id(), List.of(0, 4)),
                new MetadataQuery.TakeDamagedBlocks(256),
                new MetadataQuery.ShardsOnNode("cs1", null, 100),
                new MetadataQuery.ShardsOnNode("cs1", new io.mooseng.core.model.ShardId(Fixtures.block(5, 10).id(), 3), 100),
                new MetadataQuery.GetBlocks(List.of(Fixtures.block(5, 10).id(), Fixtures.block(6, 10).id())),
                new MetadataQuery.QueueShardsOfNode("cs2", null, 4096),
                new MetadataQuery.QueueShardsOfNode("cs2", new io.mooseng.core.model.ShardId(Fixtures.block(5, 10).id(), 0), 1),
                new MetadataQuery.CountBlocks(),
                new MetadataQuery.ReportLostShards("cs3", List.of(new io.mooseng.core.model.ShardId(Fixtures.block(5, 10).id(), 11))),
                new MetadataQuery.HeldQuery<>(new java.util.UUID(7, 8), new MetadataQuery.ChangesSince(5, 10, null)),
                new MetadataQuery.SilentLeaseHolders(),
                new MetadataQuery.ReportMount(new io.mooseng.core.model.MountInfo("id", "host", "/mnt", "0.1.0", 5, 0)),
                new MetadataQuery.ReportUnmount(),
                new MetadataQuery.ListMounts(),
                new MetadataQuery.HeldQuery<>(io.mooseng.core.metadata.DirectoryLeases.BACKGROUND, new MetadataQuery.Lookup("b", "k")),
                new MetadataQuery.SyncIdentities());
        for (MetadataQuery<?> q : queries) {
            assertEquals(q, CommandCodec.decodeQuery(CommandCodec.encode(q)));
        }
        List<MetadataQuery<?>> batchable = queries.stream().filter(q -> !q.leaderOnly()).toList();
        MetadataQuery.Batch lookups = new MetadataQuery.Batch(batchable);
        assertEquals(lookups, CommandCodec.decodeQuery(CommandCodec.encode(lookups)));
        assertThrows(IllegalArgumentException.class, () -> new MetadataQuery.Batch(List.of(lookups)));
        assertThrows(IllegalArgumentException.class, () -> new MetadataQuery.Batch(List.of(new MetadataQuery.TakeDamagedBlocks(1))));
    }

    @Test
    void aPeersIdentityChangeRoundTripsWithItsSealedSecretAndNeverItsClearOne() {
        io.mooseng.core.model.SyncEntry entry = new io.mooseng.core.model.SyncEntry(io.mooseng.core.model.SyncEntry.IDENTITY_SHARD, 4,
                io.mooseng.core.model.SyncEntry.Kind.ACCESS_KEY, "", "AKIA1", new io.mooseng.core.model.ZoneStamp(77, "z1"), List.of("z1"),
                0, "", false, new byte[] {1}, Map.of(), "clear-secret", null);
        byte[] encoded = CommandCodec.encode(new MetadataCommand.ApplyRemoteIdentity(entry, new byte[] {9, 9}));
        assertFalse(new String(encoded, java.nio.charset.StandardCharsets.ISO_8859_1).contains("clear-secret"));
        var read = (MetadataCommand.ApplyRemoteIdentity) CommandCodec.decode(encoded);
        assertArrayEquals(new byte[] {9, 9}, read.sealedHere());
        assertEquals(List.of("AKIA1", io.mooseng.core.model.SyncEntry.Kind.ACCESS_KEY), List.of(read.entry().key(), read.entry().kind()));
        assertNull(read.entry().secret());
        var without = (MetadataCommand.ApplyRemoteIdentity) CommandCodec.decode(CommandCodec.encode(
                new MetadataCommand.ApplyRemoteIdentity(entry.withSecret(null), null)));
        assertNull(without.sealedHere());
    }

    @Test
    void keyRotationCommandsRoundTripAndAreFoundInsideBatchesAndHeldCommands() {
        byte[] a = {1, 2, 3};
        byte[] b = {4, 5};
        var object = (MetadataCommand.ResealObject) CommandCodec.decode(CommandCodec.encode(new MetadataCommand.ResealObject("bk", 77, a, b)));
        assertEquals("bk", object.bucket());
        assertEquals(77, object.inode());
        assertArrayEquals(a, object.expectedWrappedKey());
        assertArrayEquals(b, object.wrappedKey());
        var key = (MetadataCommand.ResealAccessKey) CommandCodec.decode(CommandCodec.encode(new MetadataCommand.ResealAccessKey("AK", a, b)));
        assertEquals("AK", key.accessKey());
        assertArrayEquals(b, key.sealed());
        var register = (MetadataCommand.RegisterClusterKey) CommandCodec.decode(CommandCodec.encode(new MetadataCommand.RegisterClusterKey(a, b)));
        assertArrayEquals(a, register.expected());
        assertArrayEquals(b, register.clusterKey());
        var upload = (MetadataCommand.ResealUpload) CommandCodec.decode(CommandCodec.encode(
                new MetadataCommand.ResealUpload("bk", "k/ey", "up-1", a, b)));
        assertEquals("k/ey", upload.key());
        assertEquals("up-1", upload.uploadId());
        assertArrayEquals(b, upload.wrappedKey());
        var trashed = (MetadataQuery.GetTrashed) CommandCodec.decodeQuery(CommandCodec.encode(new MetadataQuery.GetTrashed("bk", 9)));
        assertEquals(new MetadataQuery.GetTrashed("bk", 9), trashed);

        // the RPC refuses them to other roles wherever they ride: alone, in a batch (as a client's pipeline sends them), held
        MetadataCommand<?> put = new MetadataCommand.PutObject("b", "k", manifest(3, "x", 4));
        MetadataCommand<?> held = new MetadataCommand.Held<>(new java.util.UUID(1, 2), 300, new MetadataCommand.Unlink("b", "d/f", false, 5));
        assertFalse(carries(put));
        assertFalse(carries(new MetadataCommand.Batch(List.of(put, held, put))));
        List<MetadataCommand<?>> rotation = List.of(new MetadataCommand.ResealObject("bk", 77, a, b),
                new MetadataCommand.ResealAccessKey("AK", a, b), new MetadataCommand.RegisterClusterKey(a, b),
                new MetadataCommand.ResealUpload("bk", "k", "up-1", a, b));
        for (MetadataCommand<?> c : rotation) {
            var inHeld = new MetadataCommand.Held<>(new java.util.UUID(1, 2), 300, c);
            assertTrue(carries(c));
            assertTrue(carries(inHeld));
            assertTrue(carries(new MetadataCommand.Batch(List.of(put, held, c))));
            assertTrue(carries(new MetadataCommand.Batch(List.of(put, inHeld))));
        }
        byte[] cut = CommandCodec.encode(new MetadataCommand.Batch(List.of(put, held)));
        assertTrue(CommandCodec.carriesKeyRotation(java.nio.ByteBuffer.wrap(cut, 0, cut.length - 3)), "what it cannot follow is refused");
    }

    private static boolean carries(MetadataCommand<?> c) {
        return CommandCodec.carriesKeyRotation(java.nio.ByteBuffer.wrap(CommandCodec.encode(c)));
    }

    @Test
    void posixAttributesCarryADeviceNumberOnlyWhenThereIsOne() {
        PosixAttributes file = new PosixAttributes(PosixAttributes.S_IFREG | 0644, 1000, 100, 1, 5, 6);
        PosixAttributes device = new PosixAttributes(PosixAttributes.S_IFCHR | 0600, 0, 0, 1, 5, 6).withDevice(0x80012c);
        for (PosixAttributes p : List.of(file, device)) {
            BinaryWriter w = new BinaryWriter();
            ModelCodec.POSIX.write(w, p);
            BinaryReader r = new BinaryReader(w.toByteArray());
            assertEquals(p, ModelCodec.POSIX.read(r));
            r.expectEnd();
        }
        // values written before device numbers existed read as they were
        byte[] older = new BinaryWriter().varLong(file.mode()).zigzag(1000).zigzag(100).varLong(1).zigzag(5).zigzag(6).toByteArray();
        assertEquals(file, ModelCodec.POSIX.read(new BinaryReader(older)));
    }

    @Test
    void manifestsCarryAMultipartOriginOnlyWhenTheyHaveOne() {
        io.mooseng.core.model.ObjectManifest plain = manifest(12, "x", 99);
        io.mooseng.core.model.ObjectManifest multipart = new io.mooseng.core.model.ObjectManifest(plain.size(), plain.etag(),
                plain.mtimeMillis(), plain.properties(), plain.storageClass(), plain.blocks(), plain.inlineData(), true, null,
                new io.mooseng.core.model.MultipartOrigin("upload", List.of(5L << 20, 7L)));
        for (io.mooseng.core.model.ObjectManifest m : List.of(plain, multipart)) {
            BinaryWriter w = new BinaryWriter();
            ModelCodec.MANIFEST.write(w, m);
            BinaryReader r = new BinaryReader(w.toByteArray());
            io.mooseng.core.model.ObjectManifest read = ModelCodec.MANIFEST.read(r);
            r.expectEnd();
            assertEquals(m.multipart(), read.multipart());
            assertEquals(m.classPinned(), read.classPinned());
            assertEquals(m.etag(), read.etag());
        }
    }

    @Test
    void manifestsCarryHowTheyAreEncryptedAndOlderValuesReadAsPlaintext() {
        io.mooseng.core.model.ObjectManifest plain = manifest(12, "x", 99);
        io.mooseng.core.model.ObjectEncryption how = new io.mooseng.core.model.ObjectEncryption(
                io.mooseng.core.model.ObjectEncryption.Mode.SSE_C, new byte[16], new byte[] {1, 2, 3}, "md5==");
        io.mooseng.core.model.ObjectManifest encrypted = plain.encrypted(12, "e", how).withStamp(new io.mooseng.core.model.ZoneStamp(5, "z"));
        for (io.mooseng.core.model.ObjectManifest m : List.of(plain, encrypted)) {
            BinaryWriter w = new BinaryWriter();
            ModelCodec.MANIFEST.write(w, m);
            BinaryReader r = new BinaryReader(w.toByteArray());
            io.mooseng.core.model.ObjectManifest read = ModelCodec.MANIFEST.read(r);
            r.expectEnd();
            assertEquals(m.encryption(), read.encryption());
            assertEquals(m.stamp(), read.stamp());
        }
    }

    @Test
    void uploadsAndPartsCarryTheirEncryptionAndOlderValuesReadAsPlaintext() {
        io.mooseng.core.model.MultipartUpload plain = new io.mooseng.core.model.MultipartUpload("u", "b", "k", 1_700_000_000_000L,
                ObjectProperties.EMPTY, StorageClass.EC_4_2);
        io.mooseng.core.model.MultipartUpload encrypted = new io.mooseng.core.model.MultipartUpload("u", "b", "k", 1_700_000_000_000L,
                ObjectProperties.EMPTY, StorageClass.EC_4_2, SSE_S3);
        for (io.mooseng.core.model.MultipartUpload u : List.of(plain, encrypted)) {
            assertEquals(u, roundTrip(ModelCodec.UPLOAD, u));
        }
        BinaryWriter older = new BinaryWriter().string("u").string("b").string("k").zigzag(1_700_000_000_000L);
        ModelCodec.PROPERTIES.write(older, ObjectProperties.EMPTY);
        ModelCodec.STORAGE_CLASS.write(older, StorageClass.EC_4_2);
        assertEquals(plain, ModelCodec.UPLOAD.read(new BinaryReader(older.toByteArray())));

        PartInfo part = new PartInfo(7, 42, "etag", 5, manifest(42, "etag", 7).encrypted(40, "p", SSE_S3), (7L << 48) | (5L << 24));
        assertEquals(part, roundTrip(ModelCodec.PART, part));
        PartInfo plainPart = new PartInfo(7, 42, "etag", 5, manifest(42, "etag", 7));
        assertEquals(plainPart, roundTrip(ModelCodec.PART, plainPart));

        io.mooseng.core.model.ObjectManifest m = manifest(12, "x", 99);
        io.mooseng.core.model.ObjectManifest object = new io.mooseng.core.model.ObjectManifest(m.size(), m.etag(), m.mtimeMillis(),
                m.properties(), m.storageClass(), m.blocks(), null, false, null,
                new io.mooseng.core.model.MultipartOrigin("u", List.of(5L, 7L), List.of(1L << 48, (2L << 48) | (9L << 24))), null, SSE_S3);
        io.mooseng.core.model.ObjectManifest read = roundTrip(ModelCodec.MANIFEST, object);
        assertEquals(object.multipart(), read.multipart());
        assertEquals(SSE_S3, read.encryption());
    }

    private static <T> T roundTrip(io.mooseng.metadata.codec.Codec<T> codec, T value) {
        BinaryWriter w = new BinaryWriter();
        codec.write(w, value);
        BinaryReader r = new BinaryReader(w.toByteArray());
        T read = codec.read(r);
        r.expectEnd();
        return read;
    }

    @Test
    void aLinkFromAnOlderLogHasNoChangeTime() {
        MetadataCommand.Link timed = new MetadataCommand.Link("b", "a", "c", 42);
        assertEquals(timed, CommandCodec.decode(CommandCodec.encode(timed)));
        byte[] older = new BinaryWriter().u8(1).u8(21).string("b").string("a").string("c").toByteArray();
        assertEquals(new MetadataCommand.Link("b", "a", "c", 0), CommandCodec.decode(older));
    }

    @Test
    void repliesCarryErrorCodes() {
        byte[] ok = Reply.ok(ModelCodec.OPTIONAL_PART, java.util.Optional.empty());
        byte[] err = Reply.error(new MooseException(ErrorCode.KEY_CONFLICT, "clash"));
        List<byte[]> split = Reply.splitBatch(Reply.batch(List.of(ok, err)));
        assertEquals(java.util.Optional.empty(), Reply.decode(split.get(0), ModelCodec.OPTIONAL_PART));
        MooseException e = assertThrows(MooseException.class, () -> Reply.decode(split.get(1), ModelCodec.NONE));
        assertEquals(ErrorCode.KEY_CONFLICT, e.code());
        assertEquals("clash", e.getMessage());
    }

    @Test
    void failedCommandLeavesNoWrites(@TempDir Path dir) {
        try (NamespaceStore store = NamespaceStore.open(dir)) {
            store.apply(new LogPosition(1, 1), tx -> tx.atomically(ns -> ns.createBucket("b", StorageClass.EC_4_2, 1)));
            String outcome = store.apply(new LogPosition(1, 2), tx -> {
                tx.atomically(ns -> ns.putObject("b", "kept/1", manifest(1, "k", 1), null));
                try {
                    tx.atomically(ns -> {
                        ns.putObject("b", "gone/deep/1", manifest(1, "g", 1), null);
                        throw new MooseException(ErrorCode.INTERNAL, "fails after writing");
                    });
                } catch (MooseException expected) {
                    return expected.code().name();
                }
                return "no failure";
            });
            assertEquals("INTERNAL", outcome);
            assertEquals(new LogPosition(1, 2), store.applied());
            List<String> keys = store.read(ns -> ns.listObjects("b", new ListRequest("", null, null, 100))).objects()
                    .stream().map(o -> o.key()).toList();
            assertEquals(List.of("kept/1"), keys);
            // the rolled-back directories are really gone: a file may take their name
            store.apply(new LogPosition(1, 3), tx -> tx.atomically(ns -> ns.putObject("b", "gone", manifest(1, "f", 1), null)));
        }
        try (NamespaceStore reopened = NamespaceStore.open(dir)) {
            assertEquals(new LogPosition(1, 3), reopened.applied());
        }
    }
}
