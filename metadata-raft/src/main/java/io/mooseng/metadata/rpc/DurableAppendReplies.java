package io.mooseng.metadata.rpc;

import io.netty.util.concurrent.EventExecutor;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto.AppendResult;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.util.ProtoUtils;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A follower's successful appendEntries reply leaves only once its log has flushed every
 * entry the reply acknowledges. Ratis answers entries it already holds at once, flushed or
 * not, so a leader that resent entries the follower was still writing (after a timed-out
 * call) would count an unflushed copy toward a commit. Normally the entries are flushed when
 * Ratis answers and this costs one read of the flush index.
 */
final class DurableAppendReplies {
    /** How often a held reply looks at the flush index again. */
    private static final long RECHECK_MICROS = 500;

    private DurableAppendReplies() {
    }

    /** Appends {@code request} on {@code server}; the reply completes on {@code loop} when it may be sent. */
    static CompletableFuture<AppendEntriesReplyProto> append(RaftServer server, AppendEntriesRequestProto request,
                                                             EventExecutor loop, long timeoutMillis) throws IOException {
        return server.appendEntriesAsync(request).thenCompose(reply -> {
            if (reply.getResult() != AppendResult.SUCCESS || reply.getMatchIndex() < 0) {
                return CompletableFuture.completedFuture(reply);
            }
            try {
                RaftLog log = server.getDivision(ProtoUtils.toRaftGroupId(request.getServerRequest().getRaftGroupId())).getRaftLog();
                if (log.getFlushIndex() >= reply.getMatchIndex()) {
                    return CompletableFuture.completedFuture(reply);
                }
                CompletableFuture<AppendEntriesReplyProto> flushed = new CompletableFuture<>();
                awaitFlush(log, reply, flushed, loop, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
                return flushed;
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    private static void awaitFlush(RaftLog log, AppendEntriesReplyProto reply, CompletableFuture<AppendEntriesReplyProto> flushed,
                                   EventExecutor loop, long deadlineNanos) {
        loop.schedule(() -> {
            if (log.getFlushIndex() >= reply.getMatchIndex()) {
                flushed.complete(reply);
            } else if (System.nanoTime() - deadlineNanos > 0) {
                flushed.completeExceptionally(new TimeoutIOException("log not flushed to index " + reply.getMatchIndex()
                        + " (flushed to " + log.getFlushIndex() + ")"));
            } else {
                awaitFlush(log, reply, flushed, loop, deadlineNanos);
            }
        }, RECHECK_MICROS, TimeUnit.MICROSECONDS);
    }
}
