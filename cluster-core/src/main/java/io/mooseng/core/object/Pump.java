package io.mooseng.core.object;

import io.mooseng.core.memory.LentBytes;

import java.util.concurrent.CompletableFuture;

/**
 * Copies a reader into a writer with backpressure. Iterative while the futures are already
 * complete (the common case), so long objects never grow the stack.
 */
final class Pump {
    private final ObjectReader reader;
    private final ObjectWriter<?> writer;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private Pump(ObjectReader reader, ObjectWriter<?> writer) {
        this.reader = reader;
        this.writer = writer;
    }

    static CompletableFuture<Void> copy(ObjectReader reader, ObjectWriter<?> writer) {
        Pump p = new Pump(reader, writer);
        p.next();
        return p.done.whenComplete((v, e) -> reader.close());
    }

    private void next() {
        while (true) {
            CompletableFuture<LentBytes> read = reader.read();
            if (!read.isDone()) {
                read.whenComplete((b, e) -> resume(b, e));
                return;
            }
            LentBytes buf;
            try {
                buf = read.join();
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                return;
            }
            if (!write(buf)) {
                return;
            }
        }
    }

    private void resume(LentBytes buf, Throwable error) {
        if (error != null) {
            done.completeExceptionally(error);
        } else if (write(buf)) {
            next();
        }
    }

    /** @return true to continue reading at once, false if finished or waiting on the writer */
    private boolean write(LentBytes buf) {
        if (buf == null) {
            done.complete(null);
            return false;
        }
        CompletableFuture<Void> w;
        try {
            w = writer.write(buf.bytes());
        } finally {
            // the writer has copied it
            buf.release();
        }
        if (w.isDone() && !w.isCompletedExceptionally()) {
            return true;
        }
        w.whenComplete((v, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                next();
            }
        });
        return false;
    }
}
