package io.mooseng.chunkserver.transport;

import io.mooseng.core.error.MooseException;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What the transport tests do to calls and shards. */
final class TestCalls {
    private TestCalls() {
    }

    static <T> T get(CompletableFuture<T> call) throws Exception {
        return call.get(30, TimeUnit.SECONDS);
    }

    /** The MooseException a call fails with. */
    static MooseException failure(CompletableFuture<?> call) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof MooseException, String.valueOf(e.getCause()));
        return (MooseException) e.getCause();
    }

    /** How a call failed, and how long after it was made. */
    record TimedFailure(MooseException error, long millis) {
    }

    static TimedFailure timedFailure(Supplier<CompletableFuture<?>> call) {
        long started = System.nanoTime();
        MooseException e = failure(call.get());
        return new TimedFailure(e, (System.nanoTime() - started) / 1_000_000);
    }

    static int crc32c(ByteBuffer data) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return (int) crc.getValue();
    }

    /** Waits up to 10 s for {@code condition}. */
    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
