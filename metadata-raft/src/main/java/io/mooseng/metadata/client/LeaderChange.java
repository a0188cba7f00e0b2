package io.mooseng.metadata.client;

import io.mooseng.core.error.MooseException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Recognizes the failures that only mean "no ready leader right now": worth retrying shortly.
 * Only the failure itself counts, not its causes: a Ratis client that gave up (retry failure,
 * closed) after a run of NotLeader replies is broken, not transiently redirected.
 */
final class LeaderChange {
    private LeaderChange() {
    }

    static boolean isTransient(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException || t instanceof MooseException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof ReadIndexException || t instanceof LeaderNotReadyException
                || t instanceof NotLeaderException || t instanceof ServerNotReadyException;
    }
}
