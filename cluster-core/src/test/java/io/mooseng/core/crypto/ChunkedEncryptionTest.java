package io.mooseng.core.crypto;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ETags;
import io.mooseng.core.model.MultipartOrigin;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.object.ObjectReader;
import io.mooseng.core.object.ObjectWriter;
import io.mooseng.core.security.SecretBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;

import static io.mooseng.core.crypto.ChunkedAead.CHUNK;
import static io.mooseng.core.crypto.ChunkedAead.STORED_CHUNK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The chunked AES-GCM layer over in-memory stored bytes: round trips, every range boundary (of chunks and of parts), tampering, keys. */
class ChunkedEncryptionTest {
    private static final KeyRing RING = new KeyRing(SecretBox.newKeyPair());

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17})
    void roundTripsAndReadsEveryRangeAtChunkBoundaries(int size) {
        byte[] data = random(size);
        DataKey key = RING.newServerKey();
        Stored s = encrypt(key, data);
        assertEquals(ChunkedAead.storedLength(size), s.bytes.length);
        assertEquals(size, s.manifest.size());
        assertEquals(ETags.md5Hex(data), s.manifest.etag(), "SSE-S3 answers the plaintext's MD5");
        List<Integer> points = List.of(0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, size - 1, size);
        for (int from : points) {
            for (int to : points) {
                if (from >= 0 && from <= to && to <= size) {
                    assertArrayEquals(Arrays.copyOfRange(data, from, to), decrypt(RING.open(s.manifest.encryption(), null), s, from, to - from),
                            "range [" + from + ", " + to + ")");
                }
            }
        }
    }

    @Test
    void storedBytesHoldNoPlaintext() {
        byte[] data = "the quick brown fox ".repeat(10_000).getBytes();
        Stored s = encrypt(RING.newServerKey(), data);
        assertEquals(-1, indexOf(s.bytes, "quick brown".getBytes()));
    }

    @Test
    void aTamperedChunkFailsButRangesAvoidingItStillRead() {
        byte[] data = random(3 * CHUNK);
        DataKey key = RING.newServerKey();
        Stored s = encrypt(key, data);
        s.bytes[STORED_CHUNK + 100] ^= 1;
        assertCorrupt(() -> decrypt(key, s, 0, data.length));
        assertArrayEquals(Arrays.copyOfRange(data, 0, CHUNK), decrypt(key, s, 0, CHUNK), "only the chunks a range touches are read");
        assertArrayEquals(Arrays.copyOfRange(data, 2 * CHUNK + 5, 3 * CHUNK), decrypt(key, s, 2 * CHUNK + 5, CHUNK - 5));
    }

    @Test
    void aTamperedTagFails() {
        byte[] data = random(CHUNK + 10);
        DataKey key = RING.newServerKey();
        Stored s = encrypt(key, data);
        s.bytes[s.bytes.length - 1] ^= (byte) 0x80;
        assertCorrupt(() -> decrypt(key, s, CHUNK, 10));
    }

    @Test
    void reorderedChunksFail() {
        byte[] data = random(2 * CHUNK);
        DataKey key = RING.newServerKey();
        Stored s = encrypt(key, data);
        byte[] first = Arrays.copyOfRange(s.bytes, 0, STORED_CHUNK);
        System.arraycopy(s.bytes, STORED_CHUNK, s.bytes, 0, STORED_CHUNK);
        System.arraycopy(first, 0, s.bytes, STORED_CHUNK, STORED_CHUNK);
        assertCorrupt(() -> decrypt(key, s, 0, CHUNK));
    }

    @Test
    void anotherKeyOrAnotherObjectsSaltFails() {
        byte[] data = random(1000);
        Stored s = encrypt(RING.newServerKey(), data);
        assertCorrupt(() -> decrypt(RING.newServerKey(), s, 0, 1000));
        DataKey own = RING.open(s.manifest.encryption(), null);
        DataKey moved = new DataKey(own.key(), RING.newServerKey().record());
        assertCorrupt(() -> decrypt(moved, s, 0, 1000));
    }

    @Test
    void serverKeysOpenOnlyWithTheirClusterKey() {
        ObjectEncryption record = RING.newServerKey().record();
        assertEquals(ErrorCode.SHARD_CORRUPT,
                assertThrows(MooseException.class, () -> new KeyRing(SecretBox.newKeyPair()).open(record, null)).code());
    }

    @Test
    void customerKeysNeedTheSameKey() {
        CustomerKey customer = CustomerKey.of(freshKey());
        byte[] data = random(CHUNK + 1);
        Stored s = encrypt(KeyRing.newCustomerKey(customer), data);
        ObjectEncryption e = s.manifest.encryption();
        assertEquals(customer.md5(), e.customerKeyMd5());
        assertNotEquals(ETags.md5Hex(data), s.manifest.etag(), "SSE-C does not answer the plaintext's MD5");
        assertArrayEquals(data, decrypt(RING.open(e, CustomerKey.of(customer.key())), s, 0, data.length));
        assertEquals(ErrorCode.ENCRYPTION_KEY_REQUIRED, assertThrows(MooseException.class, () -> RING.open(e, null)).code());
        assertEquals(ErrorCode.WRONG_ENCRYPTION_KEY,
                assertThrows(MooseException.class, () -> RING.open(e, CustomerKey.of(freshKey()))).code());
    }

    @Test
    void aWrongContentMd5StoresNothing() {
        MemoryWriter[] inner = new MemoryWriter[1];
        EncryptingObjectWriter<ObjectManifest> w = new EncryptingObjectWriter<>(RING.newServerKey(), hook -> inner[0] = new MemoryWriter(hook));
        w.write(ByteBuffer.wrap(random(10)));
        CompletionException e = assertThrows(CompletionException.class, () -> w.complete(new byte[16]).join());
        assertEquals(ErrorCode.BAD_DIGEST, ((MooseException) e.getCause()).code());
        assertEquals(true, inner[0].aborted);
    }

    @Test
    void partsReadBackAsOneObjectAcrossTheirBoundaries() {
        DataKey key = RING.newServerKey();
        int[] sizes = {2 * CHUNK + 100, CHUNK, 0, 7};
        int[] numbers = {1, 2, 5, 9};
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        List<Long> firstChunks = new java.util.ArrayList<>();
        for (int p = 0; p < sizes.length; p++) {
            byte[] data = random(sizes[p]);
            long first = ChunkLayout.firstChunkOfPart(numbers[p]);
            Stored part = encrypt(key, first, data);
            plain.writeBytes(data);
            stored.writeBytes(part.bytes);
            firstChunks.add(first);
        }
        byte[] data = plain.toByteArray();
        Stored s = new Stored(stored.toByteArray(), multipartManifest(key, sizes, firstChunks));
        assertEquals(s.bytes.length, ChunkLayout.of(s.manifest).storedLength());
        int b1 = sizes[0];
        int b2 = b1 + sizes[1];
        List<Integer> points = List.of(0, 1, CHUNK, 2 * CHUNK, b1 - 1, b1, b1 + 1, b2 - 1, b2, b2 + 3, data.length);
        for (int from : points) {
            for (int to : points) {
                if (from <= to) {
                    assertArrayEquals(Arrays.copyOfRange(data, from, to), decrypt(key, s, from, to - from), "range [" + from + ", " + to + ")");
                }
            }
        }
    }

    @Test
    void partsSwappedOrReadUnderAnotherPartsIndexesFail() {
        DataKey key = RING.newServerKey();
        byte[] a = random(CHUNK);
        byte[] b = random(CHUNK + 1);
        long firstA = ChunkLayout.firstChunkOfPart(1);
        long firstB = ChunkLayout.firstChunkOfPart(2);
        Stored pa = encrypt(key, firstA, a);
        Stored pb = encrypt(key, firstB, b);
        ByteArrayOutputStream swapped = new ByteArrayOutputStream();
        swapped.writeBytes(Arrays.copyOf(pb.bytes, pa.bytes.length)); // a full chunk of part 2 where part 1's chunk should be
        swapped.writeBytes(pb.bytes);
        Stored s = new Stored(swapped.toByteArray(), multipartManifest(key, new int[]{CHUNK, CHUNK + 1}, List.of(firstA, firstB)));
        assertCorrupt(() -> decrypt(key, s, 0, 10));
        assertArrayEquals(Arrays.copyOfRange(b, 5, 50), decrypt(key, s, CHUNK + 5, 45), "the intact part still reads");
    }

    @Test
    void aPartsFirstChunkCarriesItsNumberAboveRandomBits() {
        long first = ChunkLayout.firstChunkOfPart(10_000);
        assertEquals(10_000, first >>> 48);
        assertEquals(0, first & ((1L << ChunkLayout.CHUNK_BITS) - 1), "the part's own chunks count up from it");
        java.util.Set<Long> again = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            again.add(ChunkLayout.firstChunkOfPart(3));
        }
        assertEquals(true, again.size() > 45, "a part uploaded again seals under other nonces");
        assertThrows(IllegalArgumentException.class, () -> ChunkLayout.firstChunkOfPart(0));
    }

    @Test
    void aPartUploadedAgainStoresOtherCiphertext() {
        DataKey key = RING.newServerKey();
        byte[] data = random(100);
        assertNotEquals(ETags.md5Hex(encrypt(key, ChunkLayout.firstChunkOfPart(4), data).bytes),
                ETags.md5Hex(encrypt(key, ChunkLayout.firstChunkOfPart(4), data).bytes));
    }

    private static ObjectManifest multipartManifest(DataKey key, int[] sizes, List<Long> firstChunks) {
        long total = Arrays.stream(sizes).asLongStream().sum();
        return new ObjectManifest(total, "x-" + sizes.length, 0, ObjectProperties.EMPTY, StorageClass.EC_4_2, List.of(), null, false,
                null, new MultipartOrigin("u", Arrays.stream(sizes).asLongStream().boxed().toList(), firstChunks), null, key.record());
    }

    @Test
    void keysNeverShowInToString() {
        CustomerKey customer = CustomerKey.of(new byte[32]);
        assertEquals("CustomerKey[md5=" + customer.md5() + "]", customer.toString());
        assertEquals("DataKey[SSE_S3]", RING.newServerKey().toString());
    }

    private record Stored(byte[] bytes, ObjectManifest manifest) {
    }

    private static Stored encrypt(DataKey key, byte[] data) {
        return encrypt(key, 0, data);
    }

    private static Stored encrypt(DataKey key, long firstChunk, byte[] data) {
        MemoryWriter[] inner = new MemoryWriter[1];
        EncryptingObjectWriter<ObjectManifest> w = new EncryptingObjectWriter<>(key, firstChunk, hook -> inner[0] = new MemoryWriter(hook));
        Random r = new Random(data.length);
        for (int pos = 0; pos < data.length; ) { // uneven pieces, as a request body arrives
            int n = Math.min(data.length - pos, 1 + r.nextInt(100_000));
            w.write(ByteBuffer.wrap(data, pos, n));
            pos += n;
        }
        ObjectManifest m = w.complete(null).join();
        return new Stored(inner[0].out.toByteArray(), m);
    }

    private static byte[] decrypt(DataKey key, Stored s, long offset, long length) {
        ChunkLayout layout = ChunkLayout.of(s.manifest);
        long from = layout.storedStart(offset);
        long to = length == 0 ? from : layout.storedEnd(offset + length);
        MemoryReader stored = new MemoryReader(Arrays.copyOfRange(s.bytes, (int) from, (int) to));
        ObjectReader r = new DecryptingObjectReader(key, layout, stored, offset, length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (r) {
            for (LentBytes b = r.read().join(); b != null; b = r.read().join()) {
                byte[] a = new byte[b.length()];
                b.bytes().get(a);
                b.release();
                out.writeBytes(a);
            }
        } finally {
            // every stored piece lent to the decrypting reader is given back, also when it fails
            assertEquals(stored.lent, stored.released);
        }
        return out.toByteArray();
    }

    private static void assertCorrupt(Runnable read) {
        CompletionException e = assertThrows(CompletionException.class, read::run);
        assertEquals(ErrorCode.SHARD_CORRUPT, ((MooseException) e.getCause()).code());
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n * 31L + 7).nextBytes(b);
        return b;
    }

    private static byte[] freshKey() {
        byte[] k = new byte[32];
        new java.security.SecureRandom().nextBytes(k);
        return k;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        // ISO-8859-1 maps every byte to one char: a byte search
        return new String(hay, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** Stored bytes in memory; commits the manifest of what it received through the encrypting writer's hook. */
    private static final class MemoryWriter implements ObjectWriter<ObjectManifest> {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final UnaryOperator<ObjectManifest> hook;
        boolean aborted;

        MemoryWriter(UnaryOperator<ObjectManifest> hook) {
            this.hook = hook;
        }

        @Override
        public CompletableFuture<Void> write(ByteBuffer data) {
            byte[] a = new byte[data.remaining()];
            data.get(a);
            out.writeBytes(a);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<ObjectManifest> complete(byte[] expectedMd5, io.mooseng.core.model.ObjectChecksum checksum) {
            byte[] bytes = out.toByteArray();
            return CompletableFuture.completedFuture(hook.apply(new ObjectManifest(bytes.length, ETags.md5Hex(bytes), 0,
                    ObjectProperties.EMPTY, StorageClass.EC_4_2, List.of(), bytes)));
        }

        @Override
        public CompletableFuture<Void> abort() {
            aborted = true;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public long bytesWritten() {
            return out.size();
        }
    }

    /** Stored bytes served in 5000-byte pieces, lent (so chunks straddle buffers, and releases are counted). */
    private static final class MemoryReader implements ObjectReader {
        private final ByteBuffer left;
        int lent;
        int released;

        MemoryReader(byte[] bytes) {
            this.left = ByteBuffer.wrap(bytes);
        }

        @Override
        public CompletableFuture<LentBytes> read() {
            if (!left.hasRemaining()) {
                return CompletableFuture.completedFuture(null);
            }
            int n = Math.min(5000, left.remaining());
            ByteBuffer b = left.slice(left.position(), n);
            left.position(left.position() + n);
            lent++;
            return CompletableFuture.completedFuture(LentBytes.lent(b, () -> released++));
        }

        @Override
        public void close() {
        }
    }
}
