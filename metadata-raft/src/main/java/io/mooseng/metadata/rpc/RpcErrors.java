package io.mooseng.metadata.rpc;

import io.mooseng.core.error.Failures;
import org.apache.ratis.protocol.exceptions.RaftException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.Constructor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Exceptions across the Raft RPC: the callee sends its exception's class name and message,
 * the caller rebuilds a Ratis exception of that class (the Ratis client and log appenders act
 * on the type: not leader, not ready, group mismatch...), a {@link PermissionDeniedException}
 * (the caller's role may not make the call), or else a plain IOException. No Java
 * serialization: only classes of Ratis's exception package with a message constructor are
 * instantiated.
 */
final class RpcErrors {
    private static final String RATIS_EXCEPTIONS = RaftException.class.getPackageName() + ".";

    private RpcErrors() {
    }

    static String describe(Throwable error) {
        Throwable e = Failures.unwrap(error);
        return e.getClass().getName() + "\n" + (e.getMessage() == null ? "" : e.getMessage());
    }

    static IOException rebuild(String description, String peer) {
        int newline = description.indexOf('\n');
        String type = newline < 0 ? description : description.substring(0, newline);
        String message = newline < 0 ? "" : description.substring(newline + 1);
        if (type.equals(PermissionDeniedException.class.getName())) {
            return new PermissionDeniedException(message);
        }
        if (type.startsWith(RATIS_EXCEPTIONS)) {
            try {
                Class<?> c = Class.forName(type, false, RpcErrors.class.getClassLoader());
                if (IOException.class.isAssignableFrom(c)) {
                    Constructor<?> withMessage = c.getConstructor(String.class);
                    return (IOException) withMessage.newInstance(message);
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                // no such class or no message constructor: a plain IOException below says what it was
            }
        }
        return new IOException(peer + ": " + type + ": " + message);
    }

    /** Waits for a call's reply, failing as a blocking Ratis call does. */
    static <T> T await(CompletableFuture<T> reply) throws IOException {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a Raft RPC reply");
        } catch (ExecutionException e) {
            throw asIOException(e);
        }
    }

    /** The exception to throw from a blocking call that failed with {@code e}. */
    static IOException asIOException(Throwable e) {
        Throwable cause = Failures.unwrap(e);
        return cause instanceof IOException io ? io : new IOException(cause);
    }
}
