package io.mooseng.s3.handler;

import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.AccessControlPolicy;
import io.mooseng.s3.xml.Owner;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Get/PutBucketAcl and Get/PutObjectAcl. MooseNG has one owner (the access key) and keeps no
 * ACLs: every bucket and object answers the owner's FULL_CONTROL. Canned ACLs are accepted
 * (so clients that send them work) but not enforced: only bucket policies make anything public.
 */
public final class AclHandler {
    static final Set<String> CANNED = Set.of("private", "public-read", "public-read-write", "authenticated-read",
            "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write");
    private static final long MAX_POLICY_BYTES = 64 * 1024;

    private final ObjectService objects;

    public AclHandler(ObjectService objects) {
        this.objects = objects;
    }

    /**
     * Checks the ACL headers of a write: a canned x-amz-acl is taken, explicit grants are not.
     *
     * @throws io.mooseng.s3.error.S3Exception InvalidArgument for an unknown canned ACL,
     *                                         NotImplemented for x-amz-grant-* headers
     */
    static void checkHeaders(MultiMap headers) {
        for (String name : headers.names()) {
            if (name.toLowerCase(Locale.ROOT).startsWith("x-amz-grant-")) {
                throw S3Error.NOT_IMPLEMENTED.exception("Explicit grants (" + name.toLowerCase(Locale.ROOT)
                        + ") are not implemented; only the owner has access.");
            }
        }
        String canned = headers.get("x-amz-acl");
        if (canned != null && !CANNED.contains(canned.trim())) {
            throw S3Error.INVALID_ARGUMENT.exception("Unknown canned ACL: " + canned.trim());
        }
    }

    /**
     * Checks a PutAcl body: it may grant the owner FULL_CONTROL and nothing else.
     *
     * @throws io.mooseng.s3.error.S3Exception MalformedXML, NotImplemented for any other grant
     */
    static void checkPolicy(AccessControlPolicy policy, String owner) {
        if (policy.grants == null) {
            throw S3Error.MALFORMED_XML.exception();
        }
        for (AccessControlPolicy.Grant g : policy.grants) {
            if (g == null || g.grantee == null || !owner.equals(g.grantee.id) || !AccessControlPolicy.FULL_CONTROL.equals(g.permission)) {
                throw S3Error.NOT_IMPLEMENTED.exception("Only a grant of FULL_CONTROL to the owner is implemented; "
                        + "MooseNG keeps no other grants.");
            }
        }
    }

    public Future<Void> getBucketAcl(S3Request req) {
        return req.call(() -> objects.getBucket(req.bucket())).compose(b -> answer(req));
    }

    public Future<Void> getObjectAcl(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        return version(req).compose(o -> {
            VersionHeaders.answer(req.response(), o.manifest(), req.param("versionId") != null);
            return answer(req);
        });
    }

    public Future<Void> putBucketAcl(S3Request req) {
        return put(req, () -> req.call(() -> objects.getBucket(req.bucket())).mapEmpty());
    }

    public Future<Void> putObjectAcl(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        return put(req, () -> version(req).map(o -> {
            VersionHeaders.answer(req.response(), o.manifest(), req.param("versionId") != null);
            return null;
        }));
    }

    /** The current version, or the one {@code ?versionId=} names (a delete marker's: 405 MethodNotAllowed). */
    private Future<ObjectInfo> version(S3Request req) {
        return VersionHeaders.find(req, objects, req.bucket(), req.key(), req.param("versionId"));
    }

    /**
     * A canned header, or else a policy document; either is checked, then the resource must exist
     * (and a canned ACL be one the bucket's ownership controls allow).
     */
    private Future<Void> put(S3Request req, Supplier<Future<Void>> exists) {
        checkHeaders(req.headers());
        if (req.header("x-amz-acl") != null) {
            return exists.get().compose(v -> req.call(() -> objects.recentBucket(req.bucket())))
                    .compose(b -> {
                        OwnershipControlsHandler.checkAcl(req.headers(), b.policy().objectOwnership());
                        return req.send(200);
                    });
        }
        return req.readSmallBody(MAX_POLICY_BYTES).compose(body -> {
            checkPolicy(S3Xml.read(body, AccessControlPolicy.class), req.auth().accessKey());
            return exists.get();
        }).compose(v -> req.send(200));
    }

    private static Future<Void> answer(S3Request req) {
        return req.sendXml(200, AccessControlPolicy.ownerFullControl(Owner.of(req.auth().accessKey())));
    }
}
