package io.mooseng.s3.handler;

import io.mooseng.core.checksum.ChecksumAlgorithm;
import io.mooseng.core.crypto.DataKey;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.WriteCondition;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.auth.UriEncoding;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.ChecksumElements;
import io.mooseng.s3.xml.CopyObjectResult;
import io.mooseng.s3.xml.CopyPartResult;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CopyObject: PUT with x-amz-copy-source. The copy carries the source's checksum, or with
 * x-amz-checksum-algorithm one computed as it is copied. x-amz-metadata-directive COPY (the default) keeps
 * the source's content headers and metadata, REPLACE takes them from this request; so does
 * x-amz-tagging-directive for the tags (REPLACE: those of x-amz-tagging, or none).
 * If-Match and If-None-Match: * hold for the destination as on PutObject. The router checks
 * s3:PutObject on the destination; the source needs s3:GetObject, checked here. UploadPartCopy
 * (with partNumber and uploadId) copies a range of the source into a part.
 */
public final class CopyObjectHandler {
    private final ObjectService objects;
    private final Authorization authorization;
    private static final Pattern COPY_RANGE = Pattern.compile("bytes=(\\d{1,18})-(\\d{1,18})");

    private final ServerSideEncryption encryption;

    public CopyObjectHandler(ObjectService objects, Authorization authorization, ServerSideEncryption encryption) {
        this.objects = objects;
        this.authorization = authorization;
        this.encryption = encryption;
    }

    /**
     * Where a copy reads from: {@code bucket/key}, URL-encoded, with an optional leading '/' and {@code ?versionId=ID}.
     *
     * @param versionId null for the current version
     */
    record Source(String bucket, String key, String versionId) {
        static Source parse(String header) {
            String raw = header.trim();
            int q = raw.indexOf('?');
            String versionId = null;
            if (q >= 0) {
                String query = raw.substring(q + 1);
                if (!query.startsWith("versionId=") || query.length() == "versionId=".length()) {
                    throw S3Error.INVALID_ARGUMENT.exception("Invalid copy source: only ?versionId=ID may follow the key.");
                }
                versionId = UriEncoding.decodePath(query.substring("versionId=".length()));
                raw = raw.substring(0, q);
            }
            String path = UriEncoding.decodePath(raw.startsWith("/") ? raw.substring(1) : raw);
            int slash = path.indexOf('/');
            if (slash <= 0 || slash == path.length() - 1) {
                throw S3Error.INVALID_ARGUMENT.exception("Invalid copy source: expected bucket/key.");
            }
            return new Source(path.substring(0, slash), path.substring(slash + 1), versionId);
        }
    }

    /** @throws io.mooseng.s3.error.S3Exception InvalidArgument for a directive other than COPY (the default) and REPLACE */
    private static boolean replaces(String directive, String what) {
        if (directive != null && !directive.equals("COPY") && !directive.equals("REPLACE")) {
            throw S3Error.INVALID_ARGUMENT.exception("Unknown " + what + " directive.");
        }
        return "REPLACE".equals(directive);
    }

    public Future<Void> copy(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        ObjectHeaders.refuseUnsupported(req.headers());
        Source source = Source.parse(req.header("x-amz-copy-source"));
        ObjectHeaders.checkKeyLength(source.key());
        boolean replace = replaces(req.header("x-amz-metadata-directive"), "metadata");
        boolean replaceTags = replaces(req.header("x-amz-tagging-directive"), "tagging");
        ObjectProperties requested = replace ? ObjectHeaders.properties(req.headers()) : null;
        String redirect = ObjectHeaders.websiteRedirect(req.headers()); // taken under either directive, as S3 does
        Map<String, String> tags = replaceTags ? TagSets.fromHeader(req.header("x-amz-tagging"), TagSets.MAX_OBJECT_TAGS) : null;
        StorageClass storageClass = ObjectHeaders.storageClass(req.header("x-amz-storage-class"));
        WriteCondition condition = WriteConditions.of(req.headers());
        boolean encrypts = req.header(ServerSideEncryption.SSE) != null || req.header(ServerSideEncryption.CUSTOMER + "algorithm") != null;
        ChecksumAlgorithm checksum = Checksums.requested(req.headers());
        // copying an older version onto its own key restores it: not a copy to itself
        if (!replace && !replaceTags && storageClass == null && !encrypts && checksum == null && redirect == null
                && source.versionId() == null && source.bucket().equals(req.bucket())
                && source.key().equals(req.key())) {
            throw S3Error.INVALID_REQUEST.exception("This copy request is illegal because it is trying to copy an object "
                    + "to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }
        boolean[] versioned = {false};
        return authorization.check(req, source.versionId() == null ? "s3:GetObject" : "s3:GetObjectVersion", source.bucket(), source.key())
                .compose(v -> VersionHeaders.find(req, objects, source.bucket(), source.key(), source.versionId())).compose(info -> {
            Conditions.checkCopySource(req.headers(), info);
            if (source.versionId() != null) {
                req.response().putHeader("x-amz-copy-source-version-id", source.versionId());
            }
            if (info.size() > Upload.MAX_SIZE) {
                throw S3Error.INVALID_REQUEST.exception("The specified copy source is larger than the maximum allowable size for a copy source: "
                        + Upload.MAX_SIZE);
            }
            ObjectProperties kept = replace ? requested : info.manifest().properties();
            ObjectProperties props = (redirect == null ? kept : kept.withContentHeader(ObjectHeaders.WEBSITE_REDIRECT, redirect))
                    .withTags(replaceTags ? tags : info.manifest().properties().tags());
            DataKey sourceKey = encryption.forCopySource(req, info);
            ObjectProperties[] locked = {props};
            return req.call(() -> objects.recentBucket(req.bucket())).map(bucket -> {
                        OwnershipControlsHandler.checkAcl(req.headers(), bucket.policy().objectOwnership());
                        versioned[0] = bucket.policy().versioning().keepsVersions();
                        // the copy's lock is the request's (or the bucket's default), never the source's
                        locked[0] = props.withLock(ObjectLockHeaders.requested(req.headers(), bucket, System.currentTimeMillis()));
                        return encryption.forWrite(req, bucket.policy().defaultEncryption());
                    })
                    .compose(key -> req.call(() -> objects.copy(info, sourceKey, req.bucket(), req.key(), locked[0], storageClass, condition,
                            key, checksum)));
        }).compose(copied -> {
            ServerSideEncryption.answer(req.response(), copied.manifest().encryption());
            VersionHeaders.answer(req.response(), copied.manifest(), versioned[0]);
            return req.sendXml(200, new CopyObjectResult(S3Xml.timestamp(copied.mtimeMillis()), ObjectHeaders.quote(copied.etag()),
                    ChecksumElements.withType(copied.manifest().checksum())));
        });
    }

    /**
     * UploadPartCopy: a range of an object (x-amz-copy-source-range, else all of it) as a part. The
     * source is read with its own key (the copy-source customer key of an SSE-C source), the part
     * written as its upload is (encrypted with the upload's key, which SSE-C parts carry).
     */
    public Future<Void> copyPart(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        int partNumber = MultipartHandler.partNumber(req.param("partNumber"));
        String uploadId = req.param("uploadId");
        Source source = Source.parse(req.header("x-amz-copy-source"));
        ObjectHeaders.checkKeyLength(source.key());
        return authorization.check(req, source.versionId() == null ? "s3:GetObject" : "s3:GetObjectVersion", source.bucket(), source.key())
                .compose(v -> VersionHeaders.find(req, objects, source.bucket(), source.key(), source.versionId())).compose(info -> {
            Conditions.checkCopySource(req.headers(), info);
            long[] range = copyRange(req.header("x-amz-copy-source-range"), info.size());
            if (range[1] > Upload.MAX_SIZE) {
                throw S3Error.INVALID_REQUEST.exception("The specified copy range is larger than the maximum part size: " + Upload.MAX_SIZE);
            }
            DataKey sourceKey = encryption.forCopySource(req, info);
            return req.call(() -> objects.copyPart(info, sourceKey, range[0], range[1], req.bucket(), req.key(), uploadId, partNumber,
                    upload -> encryption.forPart(req, upload.encryption())));
        }).compose(part -> {
            ServerSideEncryption.answer(req.response(), part.manifest().encryption());
            return req.sendXml(200, new CopyPartResult(S3Xml.timestamp(part.mtimeMillis()), ObjectHeaders.quote(part.etag()),
                    ChecksumElements.of(part.manifest().checksum())));
        });
    }

    /**
     * {offset, length} of x-amz-copy-source-range ({@code bytes=first-last}, both inclusive), or the whole object without one.
     *
     * @throws io.mooseng.s3.error.S3Exception InvalidArgument when malformed, InvalidRequest when outside the object
     */
    static long[] copyRange(String header, long size) {
        if (header == null) {
            return new long[]{0, size};
        }
        Matcher m = COPY_RANGE.matcher(header.trim());
        if (!m.matches()) {
            throw S3Error.INVALID_ARGUMENT.exception("The x-amz-copy-source-range value must be of the form bytes=first-last where "
                    + "first and last are the zero-based offsets of the first and last bytes to copy");
        }
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        if (first > last || last >= size) {
            throw S3Error.INVALID_REQUEST.exception("The specified copy range is invalid for the source object size");
        }
        return new long[]{first, last - first + 1};
    }
}
