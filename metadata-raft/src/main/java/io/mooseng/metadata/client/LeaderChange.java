package io.mooseng.metadata.client;

import io.mooseng.core.error.Failures;
import io.mooseng.core.error.MooseException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;


/**
 * Recognizes the failures that only mean "no ready leader right now": worth retrying shortly.
 * Only the failure itself counts, not its causes: a Ratis client that gave up (retry failure,
 * closed) after a run of NotLeader replies is broken, not transiently redirected.
 */
final class LeaderChange {
    private LeaderChange() {
    }

    static boolean isTransient(Throwable error) {
        Throwable t = Failures.unwrap(error);
        while (t instanceof MooseException && t.getCause() != null) {
            t = Failures.unwrap(t.getCause());
        }
        return t instanceof ReadIndexException || t instanceof LeaderNotReadyException
                || t instanceof NotLeaderException || t instanceof ServerNotReadyException;
    }
}
