package io.mooseng.metadata;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.StorageClass;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Small builders and assertions shared by the tests. */
public final class Fixtures {
    public static final StorageClass ONE_COPY = StorageClass.replicated(1);
    /** The class of {@link #ecBlock()}: 2 data shards and 1 parity shard, on cs1, cs2 and cs3. */
    public static final StorageClass EC_2_1 = StorageClass.erasure(2, 1);
    private static final AtomicLong NEXT_EC_BLOCK = new AtomicLong();

    private Fixtures() {
    }

    public static ObjectKey key(String key) {
        return ObjectKey.parse(key);
    }

    public static BlockRef block(long lo, long length) {
        return new BlockRef(new BlockId(7, lo), length, ONE_COPY, (int) length, List.of("cs1"), List.of((int) lo));
    }

    /** A 100-byte block of {@link #EC_2_1} whose id no other call in this JVM returns. */
    public static BlockRef ecBlock() {
        return new BlockRef(new BlockId(42, NEXT_EC_BLOCK.incrementAndGet()), 100, EC_2_1, 50, List.of("cs1", "cs2", "cs3"),
                List.of(1, 2, 3));
    }

    /** A manifest of {@link #ecBlock()}s, 100 bytes each, with {@code etag}. */
    public static ObjectManifest ecManifest(String etag, BlockRef... blocks) {
        return new ObjectManifest(100L * blocks.length, etag, 5, ObjectProperties.EMPTY, EC_2_1, List.of(blocks), null);
    }

    /** A manifest of one block, with {@code etag} and user metadata to tell versions apart. */
    public static ObjectManifest manifest(long size, String etag, long mtime) {
        ObjectProperties props = new ObjectProperties("text/plain", Map.of(), Map.of("v", etag));
        return new ObjectManifest(size, etag, mtime, props, ONE_COPY, size == 0 ? List.of() : List.of(block(mtime, size)), null);
    }

    public static ObjectManifest inline(byte[] data, String etag) {
        return new ObjectManifest(data.length, etag, 1, ObjectProperties.EMPTY, ONE_COPY, List.of(), data);
    }

    public static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw MooseException.of(e);
        }
    }

    /** Waits up to 30 s for {@code condition}, looking every 20 ms. */
    public static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 30 s");
            }
            Thread.sleep(20);
        }
    }

    /** Waits for {@code f} and checks that it failed with {@code code}. */
    public static MooseException assertFails(ErrorCode code, CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            MooseException me = MooseException.of(e);
            assertEquals(code, me.code(), () -> "expected " + code + " but got " + me);
            return me;
        }
        return fail("expected " + code + " but succeeded");
    }
}
