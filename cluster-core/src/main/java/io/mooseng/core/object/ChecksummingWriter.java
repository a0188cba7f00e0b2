package io.mooseng.core.object;

import io.mooseng.core.checksum.ChecksumAlgorithm;
import io.mooseng.core.model.ObjectChecksum;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A writer that computes the content's checksum as it passes and keeps it with the content: for
 * content the server copies itself (CopyObject asking for a checksum, UploadPartCopy into an upload
 * that has one), where no client sent a checksum to verify.
 */
final class ChecksummingWriter<T> implements ObjectWriter<T> {
    private final ObjectWriter<T> inner;
    private final ChecksumAlgorithm algorithm;
    private final ChecksumAlgorithm.Accumulator checksum;

    ChecksummingWriter(ObjectWriter<T> inner, ChecksumAlgorithm algorithm) {
        this.inner = inner;
        this.algorithm = algorithm;
        this.checksum = algorithm.newAccumulator();
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer data) {
        checksum.update(data.duplicate());
        return inner.write(data);
    }

    /** Keeps the checksum computed here; {@code given} must be null. */
    @Override
    public CompletableFuture<T> complete(byte[] expectedMd5, ObjectChecksum given) {
        if (given != null) {
            throw new IllegalArgumentException("the checksum is computed here");
        }
        return inner.complete(expectedMd5, ObjectChecksum.of(algorithm, checksum.finish()));
    }

    @Override
    public CompletableFuture<Void> abort() {
        return inner.abort();
    }

    @Override
    public long bytesWritten() {
        return inner.bytesWritten();
    }
}
