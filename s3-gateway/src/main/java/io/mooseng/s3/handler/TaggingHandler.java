package io.mooseng.s3.handler;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.S3Xml;
import io.mooseng.s3.xml.Tagging;
import io.vertx.core.Future;

import java.util.Map;

/**
 * Get/Put/DeleteObjectTagging and Get/Put/DeleteBucketTagging. An object's tags live in its
 * metadata with its other properties; changing them keeps its content, ETag and mtime.
 */
public final class TaggingHandler {
    /** S3 allows some 10 KiB of tagging XML for 50 tags of the longest keys and values. */
    private static final long MAX_TAGGING_BYTES = 64 * 1024;
    /** A tag change is retried this often when the object is replaced between reading and changing it. */
    private static final int ATTEMPTS = 3;

    private final ObjectService objects;

    public TaggingHandler(ObjectService objects) {
        this.objects = objects;
    }

    /** Of the current version, or of the one {@code ?versionId=} names (a delete marker's: 405 MethodNotAllowed). */
    public Future<Void> getObjectTagging(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        return version(req).compose(info -> {
            VersionHeaders.answer(req.response(), info.manifest(), req.param("versionId") != null);
            return req.sendXml(200, Tagging.of(info.manifest().properties().tags()));
        });
    }

    public Future<Void> putObjectTagging(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        return readTags(req, TagSets.MAX_OBJECT_TAGS).compose(tags -> setObjectTags(req, tags, ATTEMPTS)).compose(info -> answerVersion(req, info, 200));
    }

    public Future<Void> deleteObjectTagging(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        return setObjectTags(req, Map.of(), ATTEMPTS).compose(info -> answerVersion(req, info, 204));
    }

    private static Future<Void> answerVersion(S3Request req, ObjectInfo info, int status) {
        VersionHeaders.answer(req.response(), info.manifest(), req.param("versionId") != null);
        return req.send(status);
    }

    /** NoSuchTagSet for a bucket without tags, as S3 answers. */
    public Future<Void> getBucketTagging(S3Request req) {
        return BucketSettings.answer(req, objects, p -> p.tags().isEmpty() ? null : Tagging.of(p.tags()), S3Error.NO_SUCH_TAG_SET);
    }

    public Future<Void> putBucketTagging(S3Request req) {
        return readTags(req, TagSets.MAX_BUCKET_TAGS).compose(tags -> BucketSettings.change(req, objects, p -> p.withTags(tags), 204));
    }

    public Future<Void> deleteBucketTagging(S3Request req) {
        return BucketSettings.change(req, objects, p -> p.withTags(Map.of()), 204);
    }

    private static Future<Map<String, String>> readTags(S3Request req, int max) {
        return req.readSmallBody(MAX_TAGGING_BYTES).map(body -> TagSets.fromDocument(S3Xml.read(body, Tagging.class), max));
    }

    private Future<ObjectInfo> setObjectTags(S3Request req, Map<String, String> tags, int attempts) {
        return version(req)
                .compose(info -> req.call(() -> objects.setTags(info, tags)))
                .recover(e -> attempts > 1 && MooseException.of(e).code() == ErrorCode.CONCURRENT_CHANGE
                        ? setObjectTags(req, tags, attempts - 1) : Future.failedFuture(e));
    }

    private Future<ObjectInfo> version(S3Request req) {
        return VersionHeaders.find(req, objects, req.bucket(), req.key(), req.param("versionId"));
    }
}
