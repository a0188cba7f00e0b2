package io.mooseng.s3.error;

import io.mooseng.core.error.MooseException;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The fuzz tests' property for whatever parses client input: a result, or the client's error. */
public final class ParserOutcomes {
    private ParserOutcomes() {
    }

    /**
     * Passes when {@code parse} returns, or throws an {@link S3Exception} (or a storage error that
     * {@link StorageErrors} maps) answered with a 4xx or 501 NotImplemented (understood, not
     * built); fails on anything else: a 500 would blame the server for the client's bytes.
     */
    public static void resultOrClientError(Runnable parse) {
        try {
            parse.run();
        } catch (S3Exception | MooseException e) {
            S3Error error = S3Exception.from(e).error();
            assertTrue(error == S3Error.NOT_IMPLEMENTED || (error.status() >= 400 && error.status() < 500),
                    () -> "not a client error: " + e);
        } catch (RuntimeException e) {
            fail("parsing threw " + e, e);
        }
    }
}
