package io.mooseng.metadata.client;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.metadata.codec.Codec;
import io.mooseng.metadata.command.CommandCodec;
import io.mooseng.metadata.command.Reply;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Pipelines requests to the metadata group and batches them. Up to a bound of requests
 * are in flight at once; beyond it, requests queue, and queued commands are coalesced into
 * one {@link io.mooseng.metadata.command.MetadataCommand.Batch} entry (queries into one
 * {@link io.mooseng.metadata.command.MetadataQuery.Batch} read) when a slot frees, so a
 * loaded client commits many commands per Raft round trip, and has many lookups answered
 * per read, while a quiet one pays no batching delay. Each caller's future completes with its own command's result.
 *
 * <p>Requests are sent in the order they were submitted (a lane sends under one lock), so a
 * caller that does not wait for one command before submitting the next still has them
 * committed in its order. Never blocks: submitting only takes a short lock; results are
 * delivered on the transport's threads.
 */
final class RequestPipeline implements AutoCloseable {
    /** Sends one message; completes with the reply bytes, or fails with a {@link MooseException}. */
    interface Transport {
        CompletableFuture<byte[]> send(byte[] message);
    }

    private final Lane writes;
    private final Lane reads;

    RequestPipeline(Transport writeTransport, Transport readTransport, MetadataClientConfig config) {
        this.writes = new Lane(writeTransport, config.maxWritesInFlight(), config.maxBatchCommands(), config.maxBatchBytes(),
                CommandCodec::encodeBatch);
        this.reads = new Lane(readTransport, config.maxReadsInFlight(), config.maxBatchCommands(), config.maxBatchBytes(),
                CommandCodec::encodeQueryBatch);
    }

    <T> CompletableFuture<T> write(byte[] command, Codec<T> result) {
        return writes.submit(new Pending<>(command, result));
    }

    <T> CompletableFuture<T> read(byte[] query, Codec<T> result) {
        return reads.submit(new Pending<>(query, result));
    }

    /** Fails everything still queued; requests already sent complete as their transport decides. */
    @Override
    public void close() {
        writes.close();
        reads.close();
    }

    private static final class Pending<T> {
        final byte[] message;
        final Codec<T> codec;
        final CompletableFuture<T> future = new CompletableFuture<>();

        Pending(byte[] message, Codec<T> codec) {
            this.message = message;
            this.codec = codec;
        }

        void complete(byte[] reply) {
            try {
                future.complete(Reply.decode(reply, codec));
            } catch (MooseException e) {
                future.completeExceptionally(e);
            } catch (RuntimeException e) {
                future.completeExceptionally(new MooseException(ErrorCode.INTERNAL, "malformed reply: " + e.getMessage(), e));
            }
        }

        void fail(MooseException e) {
            future.completeExceptionally(e);
        }
    }

    private static final class Lane {
        private final Transport transport;
        private final int maxInFlight;
        private final int maxBatch;
        private final int maxBatchBytes;
        private final Function<List<byte[]>, byte[]> batchOf;
        private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
        /** Held while taking requests from the queue and sending them, so they go in queue order. */
        private final Object sendOrder = new Object();
        private int inFlight;
        private boolean closed;

        Lane(Transport transport, int maxInFlight, int maxBatch, int maxBatchBytes, Function<List<byte[]>, byte[]> batchOf) {
            this.transport = transport;
            this.maxInFlight = maxInFlight;
            this.maxBatch = maxBatch;
            this.maxBatchBytes = maxBatchBytes;
            this.batchOf = batchOf;
        }

        <T> CompletableFuture<T> submit(Pending<T> p) {
            synchronized (sendOrder) {
                List<List<Pending<?>>> ready;
                synchronized (this) {
                    if (closed) {
                        p.fail(new MooseException(ErrorCode.METADATA_UNAVAILABLE, "metadata client is closed"));
                        return p.future;
                    }
                    queue.add(p);
                    ready = takeReady();
                }
                ready.forEach(this::send);
            }
            return p.future;
        }

        /** Takes groups to send while slots are free; caller holds the lock. */
        private List<List<Pending<?>>> takeReady() {
            List<List<Pending<?>>> ready = new ArrayList<>();
            while (inFlight < maxInFlight && !queue.isEmpty()) {
                List<Pending<?>> group = new ArrayList<>();
                int bytes = 0;
                do {
                    Pending<?> p = queue.poll();
                    group.add(p);
                    bytes += p.message.length;
                } while (group.size() < maxBatch && !queue.isEmpty() && bytes + queue.peek().message.length <= maxBatchBytes);
                inFlight++;
                ready.add(group);
            }
            return ready;
        }

        private void send(List<Pending<?>> group) {
            byte[] message = group.size() == 1 ? group.get(0).message
                    : batchOf.apply(group.stream().map(p -> p.message).toList());
            CompletableFuture<byte[]> reply;
            try {
                reply = transport.send(message);
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            reply.whenComplete((bytes, error) -> {
                release();
                deliver(group, bytes, error);
            });
        }

        private void release() {
            synchronized (sendOrder) {
                List<List<Pending<?>>> ready;
                synchronized (this) {
                    inFlight--;
                    ready = closed ? List.of() : takeReady();
                }
                ready.forEach(this::send);
            }
        }

        private static void deliver(List<Pending<?>> group, byte[] reply, Throwable error) {
            if (error != null) {
                MooseException e = MooseException.of(error);
                group.forEach(p -> p.fail(e));
                return;
            }
            if (group.size() == 1) {
                group.get(0).complete(reply);
                return;
            }
            List<byte[]> replies;
            try {
                replies = Reply.splitBatch(reply);
                if (replies.size() != group.size()) {
                    throw new IllegalArgumentException(replies.size() + " replies for " + group.size() + " commands");
                }
            } catch (MooseException e) {
                group.forEach(p -> p.fail(e));
                return;
            } catch (RuntimeException e) {
                MooseException malformed = new MooseException(ErrorCode.INTERNAL, "malformed batch reply: " + e.getMessage(), e);
                group.forEach(p -> p.fail(malformed));
                return;
            }
            for (int i = 0; i < group.size(); i++) {
                group.get(i).complete(replies.get(i));
            }
        }

        void close() {
            List<Pending<?>> dropped;
            synchronized (this) {
                closed = true;
                dropped = new ArrayList<>(queue);
                queue.clear();
            }
            MooseException e = new MooseException(ErrorCode.METADATA_UNAVAILABLE, "metadata client is closed");
            dropped.forEach(p -> p.fail(e));
        }
    }
}
