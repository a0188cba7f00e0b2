package io.mooseng.s3.handler;

import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.OwnershipControls;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

import java.util.Set;

/**
 * Get/Put/DeleteBucketOwnershipControls: the bucket's object ownership, kept in its policy. MooseNG
 * has one owner per bucket whatever the setting; what it changes is S3's rule that a bucket with
 * {@code BucketOwnerEnforced} refuses ACLs other than {@code private} and {@code bucket-owner-full-control}.
 */
public final class OwnershipControlsHandler {
    public static final String ENFORCED = "BucketOwnerEnforced";
    static final Set<String> SETTINGS = Set.of(ENFORCED, "BucketOwnerPreferred", "ObjectWriter");
    /** The canned ACLs that grant nothing beyond the bucket owner, which BucketOwnerEnforced still takes. */
    private static final Set<String> OWNER_ONLY = Set.of("private", "bucket-owner-full-control");
    private static final long MAX_BODY_BYTES = 16 * 1024;

    private final ObjectService objects;

    public OwnershipControlsHandler(ObjectService objects) {
        this.objects = objects;
    }

    public Future<Void> getOwnershipControls(S3Request req) {
        return BucketSettings.answer(req, objects, p -> p.objectOwnership() == null ? null : OwnershipControls.of(p.objectOwnership()),
                S3Error.OWNERSHIP_CONTROLS_NOT_FOUND_ERROR);
    }

    public Future<Void> putOwnershipControls(S3Request req) {
        return req.readSmallBody(MAX_BODY_BYTES).map(body -> setting(S3Xml.read(body, OwnershipControls.class)))
                .compose(setting -> BucketSettings.change(req, objects, p -> p.withObjectOwnership(setting), 200));
    }

    public Future<Void> deleteOwnershipControls(S3Request req) {
        return BucketSettings.change(req, objects, p -> p.withObjectOwnership(null), 204);
    }

    /**
     * @param ownership a bucket's setting (or x-amz-object-ownership on CreateBucket), null for none
     * @throws io.mooseng.s3.error.S3Exception AccessControlListNotSupported when the bucket enforces its ownership
     *                                         and the request carries an ACL granting more than the owner's full control
     */
    static void checkAcl(MultiMap headers, String ownership) {
        String canned = headers.get("x-amz-acl");
        if (ENFORCED.equals(ownership) && canned != null && !OWNER_ONLY.contains(canned.trim())) {
            throw S3Error.ACCESS_CONTROL_LIST_NOT_SUPPORTED.exception();
        }
    }

    /** @throws io.mooseng.s3.error.S3Exception InvalidArgument for a value that is none of S3's three */
    static String checkSetting(String value) {
        if (!SETTINGS.contains(value)) {
            throw S3Error.INVALID_ARGUMENT.exception("Invalid x-amz-object-ownership header or ObjectOwnership: " + value);
        }
        return value;
    }

    /** @throws io.mooseng.s3.error.S3Exception MalformedXML without exactly one rule with a setting */
    private static String setting(OwnershipControls c) {
        if (c.rules == null || c.rules.size() != 1 || c.rules.getFirst().objectOwnership == null) {
            throw S3Error.MALFORMED_XML.exception();
        }
        return checkSetting(c.rules.getFirst().objectOwnership.trim());
    }
}
