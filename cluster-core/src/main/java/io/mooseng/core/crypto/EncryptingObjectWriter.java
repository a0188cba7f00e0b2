package io.mooseng.core.crypto;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ETags;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.model.ObjectChecksum;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.object.ObjectWriter;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Encrypts content chunk by chunk ({@link ChunkedAead}) into a writer of stored bytes, so
 * blocks, shards and inline data only ever hold ciphertext. The stored writer commits a
 * manifest of the ciphertext; this writer turns it into the plaintext's (size, ETag) with the
 * encryption record, through the hook it hands the stored writer when opening it.
 *
 * <p>Encryption runs on the caller's thread: one AES-GCM pass over each chunk, a fraction of
 * the MD5 the ETag already costs.
 */
public final class EncryptingObjectWriter<T> implements ObjectWriter<T> {
    private final ChunkedAead aead;
    private final ObjectEncryption record;
    private final ObjectWriter<T> stored;
    private final MessageDigest md5 = ETags.newMd5();
    private final byte[] chunk = new byte[ChunkedAead.CHUNK];
    private int fill;
    private long index;
    private long total;
    private byte[] digest;

    /**
     * @param open opens the writer of stored bytes given the hook that rewrites its manifest
     *             before commit
     */
    public EncryptingObjectWriter(DataKey key, Function<UnaryOperator<ObjectManifest>, ObjectWriter<T>> open) {
        this(key, 0, open);
    }

    /**
     * @param firstChunk the index the first chunk is sealed under: 0 for an object, a part's own
     *                   ({@link ChunkLayout#firstChunkOfPart}) for a part of a multipart upload
     */
    public EncryptingObjectWriter(DataKey key, long firstChunk, Function<UnaryOperator<ObjectManifest>, ObjectWriter<T>> open) {
        this.index = firstChunk;
        this.aead = key.aead();
        this.record = key.record();
        this.stored = open.apply(this::asPlaintext);
    }

    /** SSE-C answers the ciphertext's MD5, as S3 does: the plaintext's would tell about data the server may not read. */
    private ObjectManifest asPlaintext(ObjectManifest ciphertext) {
        String etag = record.mode() == ObjectEncryption.Mode.SSE_C ? ciphertext.etag() : HexFormat.of().formatHex(digest);
        return ciphertext.encrypted(total, etag, record);
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer data) {
        CompletableFuture<Void> paced = CompletableFuture.completedFuture(null);
        while (data.hasRemaining()) {
            int n = Math.min(data.remaining(), chunk.length - fill);
            data.get(chunk, fill, n);
            md5.update(chunk, fill, n);
            fill += n;
            total += n;
            if (fill == chunk.length) {
                paced = sealChunk();
            }
        }
        return paced;
    }

    private CompletableFuture<Void> sealChunk() {
        byte[] sealed = aead.seal(index++, chunk, 0, fill);
        fill = 0;
        return stored.write(ByteBuffer.wrap(sealed));
    }

    @Override
    public CompletableFuture<T> complete(byte[] expectedMd5, ObjectChecksum checksum) {
        CompletableFuture<Void> last = fill > 0 ? sealChunk() : CompletableFuture.completedFuture(null);
        digest = md5.digest();
        if (expectedMd5 != null && !MessageDigest.isEqual(digest, expectedMd5)) {
            return stored.abort().thenCompose(v -> CompletableFuture.failedFuture(
                    new MooseException(ErrorCode.BAD_DIGEST, "Content-MD5 does not match the content received")));
        }
        return last.thenCompose(v -> stored.complete(null, checksum)); // the plaintext's checksum
    }

    @Override
    public CompletableFuture<Void> abort() {
        return stored.abort();
    }

    @Override
    public long bytesWritten() {
        return total;
    }
}
