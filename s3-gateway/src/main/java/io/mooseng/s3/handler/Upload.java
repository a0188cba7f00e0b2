package io.mooseng.s3.handler;

import io.mooseng.core.model.ObjectChecksum;
import io.mooseng.core.object.ObjectWriter;
import io.mooseng.s3.auth.PayloadStream;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a request body into an {@link ObjectWriter} and commits it, or aborts it so that
 * nothing is stored: on a body cut short, a bad signature, hash or checksum, or a failed write.
 */
final class Upload {
    /** S3's limit for one PUT and for one part. */
    static final long MAX_SIZE = 5L << 30;
    private static final Logger LOG = LoggerFactory.getLogger(Upload.class);

    /** What was stored, and its checksum: the client's the body was verified against, or the one computed for an upload (or null). */
    record Result<T>(T stored, ObjectChecksum checksum) {
    }

    private Upload() {
    }

    static <T> Future<Result<T>> stream(S3Request req, PayloadStream payload, ObjectWriter<T> writer, byte[] md5) {
        return RequestBodyPump.pump(req, payload, piece -> req.call(() -> writer.write(piece)))
                .onFailure(e -> abort(writer)) // a failed complete cleans up by itself
                .compose(checksum -> req.call(() -> writer.complete(md5, checksum)).map(stored -> new Result<>(stored, checksum)));
    }

    static void abort(ObjectWriter<?> writer) {
        try {
            writer.abort().whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("aborting an upload failed; its blocks are left to garbage collection", e);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("aborting an upload failed; its blocks are left to garbage collection", e);
        }
    }
}
