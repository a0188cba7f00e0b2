package io.mooseng.s3.handler;

import io.mooseng.core.crypto.DataKey;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.WriteCondition;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.auth.UriEncoding;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.CopyObjectResult;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;

import java.util.Map;

/**
 * CopyObject: PUT with x-amz-copy-source. x-amz-metadata-directive COPY (the default) keeps
 * the source's content headers and metadata, REPLACE takes them from this request; so does
 * x-amz-tagging-directive for the tags (REPLACE: those of x-amz-tagging, or none).
 * If-Match and If-None-Match: * hold for the destination as on PutObject. The router checks
 * s3:PutObject on the destination; the source needs s3:GetObject, checked here.
 */
public final class CopyObjectHandler {
    private final ObjectService objects;
    private final Authorization authorization;
    private final ServerSideEncryption encryption;

    public CopyObjectHandler(ObjectService objects, Authorization authorization, ServerSideEncryption encryption) {
        this.objects = objects;
        this.authorization = authorization;
        this.encryption = encryption;
    }

    /** Where a copy reads from: {@code bucket/key}, URL-encoded, with an optional leading '/'. */
    record Source(String bucket, String key) {
        static Source parse(String header) {
            String raw = header.trim();
            int q = raw.indexOf('?');
            if (q >= 0) {
                String version = raw.substring(q + 1);
                if (!version.equals("versionId=null")) {
                    throw S3Error.NOT_IMPLEMENTED.exception("Copying a specific version is not implemented.");
                }
                raw = raw.substring(0, q);
            }
            String path = UriEncoding.decodePath(raw.startsWith("/") ? raw.substring(1) : raw);
            int slash = path.indexOf('/');
            if (slash <= 0 || slash == path.length() - 1) {
                throw S3Error.INVALID_ARGUMENT.exception("Invalid copy source: expected bucket/key.");
            }
            return new Source(path.substring(0, slash), path.substring(slash + 1));
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
        ObjectHeaders.refuseUnsupported(req.headers(), true);
        Source source = Source.parse(req.header("x-amz-copy-source"));
        ObjectHeaders.checkKeyLength(source.key());
        boolean replace = replaces(req.header("x-amz-metadata-directive"), "metadata");
        boolean replaceTags = replaces(req.header("x-amz-tagging-directive"), "tagging");
        ObjectProperties requested = replace ? ObjectHeaders.properties(req.headers()) : null;
        Map<String, String> tags = replaceTags ? TagSets.fromHeader(req.header("x-amz-tagging"), TagSets.MAX_OBJECT_TAGS) : null;
        StorageClass storageClass = ObjectHeaders.storageClass(req.header("x-amz-storage-class"));
        WriteCondition condition = WriteConditions.of(req.headers());
        boolean encrypts = req.header(ServerSideEncryption.SSE) != null || req.header(ServerSideEncryption.CUSTOMER + "algorithm") != null;
        if (!replace && !replaceTags && storageClass == null && !encrypts && source.bucket().equals(req.bucket())
                && source.key().equals(req.key())) {
            throw S3Error.INVALID_REQUEST.exception("This copy request is illegal because it is trying to copy an object "
                    + "to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }
        return authorization.check(req, "s3:GetObject", source.bucket(), source.key())
                .compose(v -> req.call(() -> objects.head(source.bucket(), source.key()))).compose(info -> {
            Conditions.checkCopySource(req.headers(), info);
            if (info.size() > Upload.MAX_SIZE) {
                throw S3Error.INVALID_REQUEST.exception("The specified copy source is larger than the maximum allowable size for a copy source: "
                        + Upload.MAX_SIZE);
            }
            ObjectProperties props = (replace ? requested : info.manifest().properties())
                    .withTags(replaceTags ? tags : info.manifest().properties().tags());
            DataKey sourceKey = encryption.forCopySource(req, info);
            return req.call(() -> objects.recentBucket(req.bucket()))
                    .map(bucket -> encryption.forWrite(req, bucket.policy().defaultEncryption()))
                    .compose(key -> req.call(() -> objects.copy(info, sourceKey, req.bucket(), req.key(), props, storageClass, condition, key)));
        }).compose(copied -> {
            ServerSideEncryption.answer(req.response(), copied.manifest().encryption());
            return req.sendXml(200, new CopyObjectResult(S3Xml.timestamp(copied.mtimeMillis()), ObjectHeaders.quote(copied.etag())));
        });
    }
}
