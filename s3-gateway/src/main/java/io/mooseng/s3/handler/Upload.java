package io.mooseng.s3.handler;

import io.mooseng.core.object.ObjectWriter;
import io.mooseng.s3.auth.PayloadStream;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
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

    /** What was stored, and the client's checksum the body was verified against (or null). */
    record Result<T>(T stored, PayloadStream.Checksum checksum) {
    }

    private Upload() {
    }

    static <T> Future<Result<T>> stream(S3Request req, PayloadStream payload, ObjectWriter<T> writer, byte[] md5) {
        return RequestBodyPump.pump(req, payload, piece -> req.call(() -> writer.write(piece)))
                .onFailure(e -> abort(writer)) // a failed complete cleans up by itself
                .compose(checksum -> req.call(() -> writer.complete(md5)).map(stored -> new Result<>(stored, checksum)));
    }

    /** Echoes the verified checksum, as S3 answers PutObject and UploadPart. */
    static void checksumHeader(HttpServerResponse response, PayloadStream.Checksum checksum) {
        if (checksum != null) {
            response.putHeader(checksum.algorithm().headerName(), checksum.base64());
        }
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
