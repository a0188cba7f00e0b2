package io.mooseng.s3.handler;

import io.mooseng.core.crypto.DataKey;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.MultipartOrigin;
import io.mooseng.core.model.ObjectChecksum;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.WriteCondition;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.auth.Credentials;
import io.mooseng.s3.auth.PayloadStream;
import io.mooseng.s3.error.S3Error;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

/** PutObject, GetObject, HeadObject and DeleteObject. */
public final class ObjectHandler {
    private final ObjectService objects;
    private final ZoneAcks zoneAcks;
    private final ReplicationStatus replication;
    private final ServerSideEncryption encryption;
    private final Authorization authorization;
    private final PeerReads peerReads;

    /**
     * @param credentials   this zone's keys (writes other zones must acknowledge, and reads served from a peer, ask them with
     *                      the zonegroup's sync key)
     * @param authorization what decides a delete's governance bypass (s3:BypassGovernanceRetention)
     * @param peerReadTimeoutMillis how long a peer zone has to answer a read of a key missing here; 0: never asked
     */
    public ObjectHandler(ObjectService objects, ServerSideEncryption encryption, Credentials credentials, Authorization authorization,
                         long peerReadTimeoutMillis) {
        this.objects = objects;
        PeerHttpClient peers = new PeerHttpClient();
        this.zoneAcks = new ZoneAcks(objects, credentials, peers);
        this.replication = new ReplicationStatus(objects);
        this.peerReads = new PeerReads(objects, replication::zoneState, credentials, peers, peerReadTimeoutMillis);
        this.encryption = encryption;
        this.authorization = authorization;
    }

    /**
     * Everything the headers or a write condition can refuse is refused before storage is asked for a writer,
     * and the writer before the body is read (and 100-continue sent).
     */
    public Future<Void> put(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        ObjectHeaders.refuseUnsupported(req.headers());
        ObjectLockHeaders.checkIntegrity(req.headers());
        ObjectProperties props = ObjectHeaders.propertiesAndTags(req.headers());
        StorageClass storageClass = ObjectHeaders.storageClass(req.header("x-amz-storage-class"));
        byte[] md5 = ObjectHeaders.contentMd5(req.header("content-md5"));
        WriteCondition condition = WriteConditions.of(req.headers());
        PayloadStream payload = PayloadStream.open(req.auth(), req.headers(), Upload.MAX_SIZE);
        boolean[] versioned = {false};
        return zoneAcks.plan(req).compose(acks -> WriteConditions.precheck(req, objects, condition)
                .compose(v -> req.call(() -> objects.recentBucket(req.bucket()))).compose(bucket -> {
                    OwnershipControlsHandler.checkAcl(req.headers(), bucket.policy().objectOwnership());
                    versioned[0] = bucket.policy().versioning().keepsVersions();
                    DataKey key = encryption.forWrite(req, bucket.policy().defaultEncryption());
                    ObjectProperties locked = props.withLock(ObjectLockHeaders.requested(req.headers(), bucket, System.currentTimeMillis()));
                    return req.call(() -> objects.openWrite(req.bucket(), req.key(), locked, storageClass, payload.length(), condition, key))
                            .compose(writer -> Upload.stream(req, payload, writer, md5))
                            .recover(e -> Future.failedFuture(WriteConditions.raced(condition, e)));
                })
                .compose(done -> zoneAcks.await(req, acks, done.stored()).compose(v -> {
                    req.response().putHeader("ETag", ObjectHeaders.quote(done.stored().etag()));
                    ServerSideEncryption.answer(req.response(), done.stored().manifest().encryption());
                    VersionHeaders.answer(req.response(), done.stored().manifest(), versioned[0]);
                    Checksums.answer(req.response(), done.checksum());
                    return req.send(200);
                })));
    }

    public Future<Void> get(S3Request req) {
        return read(req, true);
    }

    public Future<Void> head(S3Request req) {
        return read(req, false);
    }

    /**
     * S3 answers 204 whether or not the key (or version) existed, unless If-Match asked for an object; it names the
     * version removed or the delete marker written.
     */
    public Future<Void> delete(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        WriteCondition condition = WriteConditions.of(req.headers());
        return ObjectLockHandler.bypass(req, authorization, req.key())
                .compose(bypass -> req.call(() -> objects.deleteVersion(req.bucket(), req.key(), req.param("versionId"), condition, bypass)))
                .map(deleted -> {
                    VersionHeaders.answer(req.response(), deleted);
                    return (Void) null;
                })
                .recover(e -> MooseException.of(e).code() == ErrorCode.NO_SUCH_KEY && condition == null
                        ? Future.succeededFuture() : Future.failedFuture(e))
                .compose(v -> req.send(204));
    }

    /** With ?partNumber=n the range is that part's (a ranged read), and the answer names the object's number of parts. */
    private Future<Void> read(S3Request req, boolean withBody) {
        ObjectHeaders.checkKeyLength(req.key());
        Integer part = req.param("partNumber") == null ? null : MultipartHandler.partNumber(req.param("partNumber"));
        if (part != null && req.header("range") != null) {
            throw S3Error.INVALID_REQUEST.exception("Cannot specify both Range header and partNumber query parameter.");
        }
        String versionId = req.param("versionId");
        return VersionHeaders.find(req, objects, req.bucket(), req.key(), versionId)
                .compose(info -> req.call(() -> replication.of(info))
                        .compose(replicationStatus -> answer(req, info, replicationStatus, part, versionId != null, withBody)),
                        // not here (yet): a peer zone that sync would bring it from may have it
                        e -> MooseException.of(e).code() == ErrorCode.NO_SUCH_KEY && peerReads.applies(req)
                                ? peerReads.serve(req, withBody, e) : Future.failedFuture(e));
    }

    /** @param replicationStatus x-amz-replication-status, or null for none */
    private Future<Void> answer(S3Request req, ObjectInfo info, String replicationStatus, Integer part, boolean versionNamed,
                                boolean withBody) {
        Conditions.check(req.headers(), info);
        SyncHandler.checkStamp(req, info);
        if (replicationStatus != null) {
            req.response().putHeader(ReplicationStatus.HEADER, replicationStatus);
        }
        ByteRange range = part == null ? ByteRange.parse(req.header("range"), info.size()) : partRange(info, part);
        MultipartOrigin origin = info.manifest().multipart();
        if (part != null && origin != null) {
            req.response().putHeader("x-amz-mp-parts-count", Integer.toString(origin.partSizes().size()));
        }
        long offset = range == null ? 0 : range.first();
        long length = range == null ? info.size() : range.length();
        DataKey key = encryption.forRead(req, info); // HEAD too needs an SSE-C object's key, as on S3
        ObjectChecksum checksum = Checksums.toAnswer(req.headers(), info, part, req.header("range") != null);
        if (!withBody || length == 0) {
            respondHead(req, info, range, length, checksum, versionNamed);
            return req.response().end();
        }
        return req.call(() -> objects.openRead(info, offset, length, key)).compose(reader -> {
            respondHead(req, info, range, length, checksum, versionNamed);
            return ResponseBodyPump.pump(req, reader, length);
        });
    }

    /**
     * The bytes of part {@code n}: of a multipart object, its n-th part; any other object is
     * one part. Null for an empty part (the whole, empty, object).
     *
     * @throws io.mooseng.s3.error.S3Exception InvalidPartNumber (416) beyond the object's parts
     */
    static ByteRange partRange(ObjectInfo info, int n) {
        MultipartOrigin origin = info.manifest().multipart();
        int count = origin == null ? 1 : origin.partSizes().size();
        if (n > count) {
            throw S3Error.INVALID_PART_NUMBER.exception("The requested partnumber is not satisfiable: the object has " + count
                    + (count == 1 ? " part." : " parts."));
        }
        long first = origin == null ? 0 : origin.offsetOf(n);
        long length = origin == null ? info.size() : origin.partSizes().get(n - 1);
        return length == 0 ? null : new ByteRange(first, first + length - 1);
    }

    /**
     * @param checksum     the checksum to answer (x-amz-checksum-mode), or null
     * @param versionNamed whether the request named a version (its id is then answered even in an unversioned bucket)
     */
    private static void respondHead(S3Request req, ObjectInfo info, ByteRange range, long length, ObjectChecksum checksum,
                                    boolean versionNamed) {
        HttpServerResponse r = req.response();
        ObjectHeaders.write(r, info, req.query());
        VersionHeaders.answer(r, info.manifest(), versionNamed);
        ServerSideEncryption.answer(r, info.manifest().encryption());
        Checksums.answer(r, checksum);
        r.putHeader("Content-Length", Long.toString(length));
        if (range != null) {
            r.putHeader("Content-Range", range.contentRange(info.size()));
        }
        r.setStatusCode(range == null ? 200 : 206);
    }
}
