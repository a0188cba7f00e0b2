package io.mooseng.s3.handler;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.MultipartOrigin;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.UploadChecksum;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.WriteCondition;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.auth.PayloadStream;
import io.mooseng.s3.auth.UriEncoding;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.ChecksumElements;
import io.mooseng.s3.xml.CompleteMultipartUpload;
import io.mooseng.s3.xml.CompleteMultipartUploadResult;
import io.mooseng.s3.xml.InitiateMultipartUploadResult;
import io.mooseng.s3.xml.ListPartsResult;
import io.mooseng.s3.xml.Owner;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload and ListParts.
 * An upload asked to be encrypted (or in a bucket encrypting by default) gets its data key at
 * creation, kept wrapped with the upload; each part is encrypted with it as it streams in.
 */
public final class MultipartHandler {
    static final int MAX_PART_NUMBER = 10_000;
    private static final long MAX_COMPLETE_BODY = 4L << 20;

    private final ObjectService objects;
    private final ServerSideEncryption encryption;

    public MultipartHandler(ObjectService objects, ServerSideEncryption encryption) {
        this.objects = objects;
        this.encryption = encryption;
    }

    public Future<Void> create(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        ObjectHeaders.refuseUnsupported(req.headers());
        if (req.header("if-match") != null || req.header("if-none-match") != null) {
            throw S3Error.NOT_IMPLEMENTED.exception("Conditions on a multipart upload are given on CompleteMultipartUpload.");
        }
        ObjectProperties props = ObjectHeaders.propertiesAndTags(req.headers());
        StorageClass storageClass = ObjectHeaders.storageClass(req.header("x-amz-storage-class"));
        UploadChecksum checksum = Checksums.forUpload(req.headers());
        ObjectProperties[] locked = {props};
        return req.call(() -> objects.recentBucket(req.bucket())).map(bucket -> {
                    OwnershipControlsHandler.checkAcl(req.headers(), bucket.policy().objectOwnership());
                    locked[0] = props.withLock(ObjectLockHeaders.requested(req.headers(), bucket, System.currentTimeMillis()));
                    return encryption.forWrite(req, bucket.policy().defaultEncryption());
                })
                .compose(key -> req.call(() -> objects.createMultipartUpload(req.bucket(), req.key(), locked[0], storageClass, key,
                        checksum)))
                .compose(upload -> {
                    ServerSideEncryption.answer(req.response(), upload.encryption());
                    if (upload.checksum() != null) {
                        req.response().putHeader(Checksums.ALGORITHM, upload.checksum().algorithm().name());
                        req.response().putHeader(Checksums.TYPE, upload.checksum().type().name());
                    }
                    return req.sendXml(200, new InitiateMultipartUploadResult(req.bucket(), req.key(), upload.uploadId()));
                });
    }

    public Future<Void> uploadPart(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        int partNumber = partNumber(req.param("partNumber"));
        String uploadId = req.param("uploadId");
        byte[] md5 = ObjectHeaders.contentMd5(req.header("content-md5"));
        PayloadStream payload = PayloadStream.open(req.auth(), req.headers(), Upload.MAX_SIZE);
        return req.call(() -> objects.openPartWrite(req.bucket(), req.key(), uploadId, partNumber, payload.length(), upload -> {
                    payload.expect(upload.checksum()); // before any of the body is read
                    return encryption.forPart(req, upload.encryption());
                }))
                .compose(writer -> Upload.stream(req, payload, writer, md5))
                .compose(done -> {
                    req.response().putHeader("ETag", ObjectHeaders.quote(done.stored().etag()));
                    ServerSideEncryption.answer(req.response(), done.stored().manifest().encryption());
                    Checksums.answer(req.response(), done.checksum());
                    return req.send(200);
                });
    }

    /**
     * SDKs retry a Complete that timed out, though the first may have succeeded: while the
     * object that upload made is still the key's current one, a retry gets the same answer,
     * a conditional one too (its If-None-Match: * now fails on that very object).
     * The tags given at CreateMultipartUpload apply now, with the upload's other properties.
     */
    public Future<Void> complete(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        String uploadId = req.param("uploadId");
        WriteCondition condition = WriteConditions.of(req.headers());
        // x-amz-checksum-* of a Complete are the object's, not the document's
        return req.readSmallBody(MAX_COMPLETE_BODY, false).compose(body -> {
            CompleteMultipartUpload request = S3Xml.read(body, CompleteMultipartUpload.class);
            List<CompletedPart> parts = parts(request);
            return CompletionChecksums.check(req, objects, uploadId, request)
                    .compose(v -> req.call(() -> objects.completeMultipartUpload(req.bucket(), req.key(), uploadId, parts, condition)))
                    .recover(e -> retried(MooseException.of(e).code()) ? madeBy(req, uploadId, e) : Future.failedFuture(e));
        }).compose(info -> req.call(() -> objects.recentBucket(req.bucket())).compose(bucket -> {
            ServerSideEncryption.answer(req.response(), info.manifest().encryption());
            VersionHeaders.answer(req.response(), info.manifest(), bucket.policy().versioning().keepsVersions());
            return req.sendXml(200, new CompleteMultipartUploadResult(location(req), req.bucket(), req.key(), ObjectHeaders.quote(info.etag()),
                    ChecksumElements.withType(info.manifest().checksum())));
        }));
    }

    /** How a Complete that already succeeded fails when repeated: its upload is gone, or its condition sees its object. */
    private static boolean retried(ErrorCode code) {
        return code == ErrorCode.NO_SUCH_UPLOAD || code == ErrorCode.CONCURRENT_CHANGE;
    }

    /**
     * The key's current object if upload {@code uploadId} made it, else the failure
     * {@code noSuchUpload}; a failure to look (the cluster unavailable) is answered as itself.
     */
    private Future<ObjectInfo> madeBy(S3Request req, String uploadId, Throwable noSuchUpload) {
        return req.call(() -> objects.head(req.bucket(), req.key())).transform(ar -> {
            if (ar.failed() && MooseException.of(ar.cause()).code() != ErrorCode.NO_SUCH_KEY) {
                return Future.failedFuture(ar.cause());
            }
            MultipartOrigin origin = ar.succeeded() ? ar.result().manifest().multipart() : null;
            return origin != null && origin.uploadId().equals(uploadId) ? Future.succeededFuture(ar.result()) : Future.failedFuture(noSuchUpload);
        });
    }

    public Future<Void> abort(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        return req.call(() -> objects.abortMultipartUpload(req.bucket(), req.key(), req.param("uploadId")))
                .compose(v -> req.send(204));
    }

    /** Paged by part-number-marker and max-parts over the parts storage lists. */
    public Future<Void> listParts(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        String uploadId = req.param("uploadId");
        int maxParts = ListObjectsHandler.maxKeys(req.param("max-parts"), 1000);
        int marker = req.param("part-number-marker") == null ? 0
                : IntParams.between(req.param("part-number-marker"), 0, Integer.MAX_VALUE, "Invalid part-number-marker");
        return req.call(() -> objects.getMultipartUpload(req.bucket(), req.key(), uploadId)).compose(upload ->
                req.call(() -> objects.listParts(req.bucket(), req.key(), uploadId)).compose(all -> {
            List<PartInfo> after = all.stream().filter(p -> p.partNumber() > marker)
                    .sorted(Comparator.comparingInt(PartInfo::partNumber)).toList();
            List<PartInfo> page = after.subList(0, Math.min(maxParts, after.size()));
            boolean truncated = page.size() < after.size();
            Owner owner = Owner.of(req.auth().accessKey());
            UploadChecksum checksum = upload.checksum();
            return req.sendXml(200, new ListPartsResult(req.bucket(), req.key(), uploadId, owner, owner, "STANDARD",
                    marker, truncated && !page.isEmpty() ? page.get(page.size() - 1).partNumber() : null, maxParts, truncated,
                    checksum == null ? null : checksum.algorithm().name(), checksum == null ? null : checksum.type().name(),
                    page.stream().map(p -> new ListPartsResult.Part(p.partNumber(), S3Xml.timestamp(p.mtimeMillis()),
                            ObjectHeaders.quote(p.etag()), p.size(), ChecksumElements.of(p.manifest().checksum()))).toList()));
        }));
    }

    /** @throws io.mooseng.s3.error.S3Exception MalformedXML without parts or with a part lacking number or ETag */
    static List<CompletedPart> parts(CompleteMultipartUpload request) {
        if (request.parts == null || request.parts.isEmpty()) {
            throw S3Error.MALFORMED_XML.exception();
        }
        List<CompletedPart> parts = new ArrayList<>(request.parts.size());
        for (CompleteMultipartUpload.Part p : request.parts) {
            if (p == null || p.partNumber == null || p.etag == null) {
                throw S3Error.MALFORMED_XML.exception();
            }
            parts.add(new CompletedPart(p.partNumber, ObjectHeaders.unquote(p.etag)));
        }
        return parts;
    }

    /** @throws io.mooseng.s3.error.S3Exception InvalidArgument unless 1 to 10,000 */
    static int partNumber(String value) {
        return IntParams.between(value, 1, MAX_PART_NUMBER, "Part number must be an integer between 1 and " + MAX_PART_NUMBER + ", inclusive");
    }

    private static String location(S3Request req) {
        String host = req.header("host");
        return (host == null ? "" : req.http().scheme() + "://" + host) + UriEncoding.encode(req.resource(), true);
    }
}
