package io.mooseng.core.error;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a failure really is, whatever wraps it. */
public final class Failures {
    private Failures() {
    }

    /** The failure inside the wrappers futures add (CompletionException, ExecutionException). */
    public static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    /**
     * Whether an I/O failure means the disk (or the user's quota) is full. Java reports ENOSPC
     * and EDQUOT only through the message of an IOException, so the message is the one way to
     * tell them from other write failures.
     */
    public static boolean isDiskFull(IOException e) {
        String msg = String.valueOf(e.getMessage());
        return msg.contains("No space left") || msg.contains("Disk quota exceeded") || msg.contains("not enough space");
    }
}
