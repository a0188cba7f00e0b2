package io.mooseng.s3.handler;

import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectLock;
import io.mooseng.core.model.ObjectLockConfig;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.ObjectLegalHold;
import io.mooseng.s3.xml.ObjectLockConfiguration;
import io.mooseng.s3.xml.ObjectRetention;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;

import java.time.Instant;

/**
 * S3 Object Lock's sub-resources: a bucket's configuration (?object-lock) and a version's retention (?retention) and legal hold
 * (?legal-hold). The gateway only parses and answers; the metadata state machine decides what a lock allows.
 */
public final class ObjectLockHandler {
    private static final long MAX_BODY_BYTES = 16 * 1024;

    private final ObjectService objects;
    private final Authorization authorization;

    public ObjectLockHandler(ObjectService objects, Authorization authorization) {
        this.objects = objects;
        this.authorization = authorization;
    }

    public Future<Void> getConfiguration(S3Request req) {
        return BucketSettings.answer(req, objects, p -> p.objectLock() == null ? null
                : ObjectLockConfiguration.of(p.objectLock().defaultMode() == null ? null : p.objectLock().defaultMode().name(),
                p.objectLock().days(), p.objectLock().years()), S3Error.OBJECT_LOCK_CONFIGURATION_NOT_FOUND);
    }

    /** Sets the default retention of a bucket created with object lock (MooseNG does not turn object lock on later). */
    public Future<Void> putConfiguration(S3Request req) {
        return req.readSmallBody(MAX_BODY_BYTES).map(body -> config(S3Xml.read(body, ObjectLockConfiguration.class)))
                .compose(config -> lockedBucket(req).compose(b -> BucketSettings.change(req, objects, p -> p.withObjectLock(config), 200)));
    }

    /** @throws io.mooseng.s3.error.S3Exception MalformedXML unless Enabled, with a rule of a mode and either days or years, both positive */
    private static ObjectLockConfig config(ObjectLockConfiguration c) {
        if (!"Enabled".equals(c.objectLockEnabled)) {
            throw S3Error.MALFORMED_XML.exception();
        }
        if (c.rule == null) {
            return ObjectLockConfig.ENABLED;
        }
        ObjectLockConfiguration.DefaultRetention d = c.rule.defaultRetention;
        if (d == null || d.mode == null || (d.days == null) == (d.years == null)) {
            throw S3Error.MALFORMED_XML.exception();
        }
        int days = d.days == null ? 0 : d.days;
        int years = d.years == null ? 0 : d.years;
        if (days < 0 || years < 0 || days + years == 0) {
            throw S3Error.INVALID_ARGUMENT.exception("Default retention period must be a positive integer value");
        }
        return new ObjectLockConfig(ObjectLockHeaders.mode(d.mode), days, years);
    }

    public Future<Void> getRetention(S3Request req) {
        return lockedVersion(req).compose(v -> {
            ObjectLock lock = v.manifest().lock();
            if (lock.mode() == null) {
                throw S3Error.NO_SUCH_OBJECT_LOCK_CONFIGURATION.exception();
            }
            return req.sendXml(200, ObjectRetention.of(lock.mode().name(), Instant.ofEpochMilli(lock.retainUntilMillis()).toString()));
        });
    }

    /** An empty Retention removes a GOVERNANCE retention (with the bypass); the state machine refuses what the old one forbids. */
    public Future<Void> putRetention(S3Request req) {
        return req.readSmallBody(MAX_BODY_BYTES).map(body -> S3Xml.read(body, ObjectRetention.class)).compose(r -> {
            if ((r.mode == null) != (r.retainUntilDate == null)) {
                throw S3Error.MALFORMED_XML.exception();
            }
            ObjectLock.Mode mode = r.mode == null ? null : ObjectLockHeaders.mode(r.mode);
            long until = r.retainUntilDate == null ? 0 : ObjectLockHeaders.date(r.retainUntilDate);
            if (mode != null && until <= System.currentTimeMillis()) {
                throw S3Error.INVALID_ARGUMENT.exception("The retain until date must be in the future!");
            }
            return lockedBucket(req).compose(b -> bypass(req, authorization, req.key()))
                    .compose(bypass -> req.call(() -> objects.setRetention(req.bucket(), req.key(), req.param("versionId"), mode, until,
                            bypass)));
        }).compose(v -> req.send(200));
    }

    public Future<Void> getLegalHold(S3Request req) {
        return lockedVersion(req).compose(v -> req.sendXml(200, ObjectLegalHold.of(v.manifest().lock().legalHold())));
    }

    public Future<Void> putLegalHold(S3Request req) {
        return req.readSmallBody(MAX_BODY_BYTES).map(body -> {
            ObjectLegalHold h = S3Xml.read(body, ObjectLegalHold.class);
            if (h.status == null) {
                throw S3Error.MALFORMED_XML.exception();
            }
            return ObjectLockHeaders.legalHold(h.status);
        }).compose(on -> lockedBucket(req).compose(b -> req.call(() -> objects.setLegalHold(req.bucket(), req.key(),
                req.param("versionId"), on)))).compose(v -> req.send(200));
    }

    /**
     * Whether a request asking to bypass GOVERNANCE retention (x-amz-bypass-governance-retention: true) may: as S3, one without
     * s3:BypassGovernanceRetention is carried out without the bypass (and then refused if the retention forbids it).
     */
    static Future<Boolean> bypass(S3Request req, Authorization authorization, String key) {
        if (!ObjectLockHeaders.bypassAsked(req.headers())) {
            return Future.succeededFuture(false);
        }
        return authorization.check(req, ObjectLockHeaders.BYPASS_PERMISSION, req.bucket(), key).map(v -> true).otherwise(false);
    }

    private Future<BucketInfo> lockedBucket(S3Request req) {
        return req.call(() -> objects.getBucket(req.bucket())).map(b -> {
            if (b.policy().objectLock() == null) {
                throw S3Error.INVALID_REQUEST.exception("Bucket is missing Object Lock Configuration");
            }
            return b;
        });
    }

    private Future<ObjectInfo> lockedVersion(S3Request req) {
        return lockedBucket(req).compose(b -> VersionHeaders.find(req, objects, req.bucket(), req.key(), req.param("versionId")));
    }
}
