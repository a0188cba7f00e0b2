package io.mooseng.core.crypto;

import io.mooseng.core.model.MultipartOrigin;
import io.mooseng.core.model.ObjectManifest;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where an encrypted object's plaintext lies among its stored chunks. An object written in one
 * go is one run of chunks numbered from 0. A multipart upload's object is its parts' runs end to
 * end: each part was encrypted on its own (a part's last chunk may be short), its chunks numbered
 * from the part's first index ({@link #firstChunkOfPart}), and a plaintext offset maps to its part
 * through the part sizes.
 */
public final class ChunkLayout {
    /** Chunk indexes within one part: 2^24 chunks of 64 KiB (1 TiB), far above S3's 5 GiB part. */
    static final int CHUNK_BITS = 24;
    private static final int RANDOM_BITS = 24;

    /** Plaintext offset of each part, and the object's size last. */
    private final long[] plainStarts;
    /** Stored offset of each part, and the stored size last. */
    private final long[] storedStarts;
    private final long[] firstChunks;

    private ChunkLayout(List<Long> sizes, List<Long> firstChunks) {
        int n = sizes.size();
        plainStarts = new long[n + 1];
        storedStarts = new long[n + 1];
        this.firstChunks = new long[n];
        for (int p = 0; p < n; p++) {
            plainStarts[p + 1] = plainStarts[p] + sizes.get(p);
            storedStarts[p + 1] = storedStarts[p] + ChunkedAead.storedLength(sizes.get(p));
            this.firstChunks[p] = firstChunks.get(p);
        }
    }

    /** The layout of an encrypted object's stored bytes. */
    public static ChunkLayout of(ObjectManifest m) {
        MultipartOrigin origin = m.multipart();
        return origin != null && !origin.firstChunks().isEmpty()
                ? new ChunkLayout(origin.partSizes(), origin.firstChunks())
                : new ChunkLayout(List.of(m.size()), List.of(0L));
    }

    /**
     * The index a part's first chunk is sealed under: the part number in the top bits (so no two
     * parts share a nonce), then random bits (so a part uploaded again under the same number does
     * not reuse its predecessor's nonces, short of a one-in-16-million draw), then the chunk within
     * the part.
     */
    public static long firstChunkOfPart(int partNumber) {
        if (partNumber < 1 || partNumber >= 1 << (64 - CHUNK_BITS - RANDOM_BITS - 1)) {
            throw new IllegalArgumentException("part number out of range: " + partNumber);
        }
        long random = ThreadLocalRandom.current().nextLong(1L << RANDOM_BITS);
        return ((long) partNumber << (CHUNK_BITS + RANDOM_BITS)) | random << CHUNK_BITS;
    }

    /** Stored bytes of the whole object. */
    public long storedLength() {
        return storedStarts[storedStarts.length - 1];
    }

    /** Where the stored chunk holding plaintext byte {@code offset} starts. */
    public long storedStart(long offset) {
        int p = partOf(offset);
        return storedStarts[p] + (offset - plainStarts[p]) / ChunkedAead.CHUNK * ChunkedAead.STORED_CHUNK;
    }

    /** Where the stored chunk holding plaintext byte {@code end - 1} ends ({@code end} > 0). */
    public long storedEnd(long end) {
        int p = partOf(end - 1);
        long chunksEnd = ((end - 1 - plainStarts[p]) / ChunkedAead.CHUNK + 1) * ChunkedAead.STORED_CHUNK;
        return storedStarts[p] + Math.min(storedStarts[p + 1] - storedStarts[p], chunksEnd);
    }

    /** A reading position at plaintext byte {@code offset}. */
    Cursor cursorAt(long offset) {
        return new Cursor(partOf(offset), offset);
    }

    /** The part holding plaintext byte {@code offset} (the last non-empty one for the object's end). */
    private int partOf(long offset) {
        int p = 0;
        while (p < firstChunks.length - 1 && plainStarts[p + 1] <= offset) {
            p++;
        }
        return p;
    }

    /** Walks the chunks from a plaintext offset on: which index each is sealed under and how long it is. */
    final class Cursor {
        private int part;
        private long chunk;
        /** Plaintext bytes of the current chunk before the offset the cursor started at. */
        final int skip;

        private Cursor(int part, long offset) {
            this.part = part;
            long within = offset - plainStarts[part];
            this.chunk = within / ChunkedAead.CHUNK;
            this.skip = (int) (within % ChunkedAead.CHUNK);
        }

        /** The index the current chunk is sealed under. */
        long index() {
            return firstChunks[part] + chunk;
        }

        /** Plaintext bytes of the current chunk. */
        int plainLength() {
            return (int) Math.min(ChunkedAead.CHUNK, plainStarts[part + 1] - plainStarts[part] - chunk * ChunkedAead.CHUNK);
        }

        void next() {
            chunk++;
            while (part < firstChunks.length - 1 && plainStarts[part] + chunk * ChunkedAead.CHUNK >= plainStarts[part + 1]) {
                part++;
                chunk = 0;
            }
        }
    }
}
