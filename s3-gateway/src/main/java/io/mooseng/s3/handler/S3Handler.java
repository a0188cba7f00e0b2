package io.mooseng.s3.handler;

import io.vertx.core.Future;

/**
 * One S3 operation. Contract: called on the request's Vert.x context; never blocks; sends
 * the whole response itself and returns a future completed once it did. A failed future
 * whose response has not started is answered by the router as an S3 error document.
 */
@FunctionalInterface
public interface S3Handler {
    Future<Void> handle(S3Request request);
}
