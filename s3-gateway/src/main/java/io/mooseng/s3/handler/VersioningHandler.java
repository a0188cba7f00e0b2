package io.mooseng.s3.handler;

import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.VersionListPage;
import io.mooseng.core.model.VersionListRequest;
import io.mooseng.core.model.Versioning;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.auth.UriEncoding;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.CommonPrefix;
import io.mooseng.s3.xml.ListVersionsResult;
import io.mooseng.s3.xml.Owner;
import io.mooseng.s3.xml.S3Xml;
import io.mooseng.s3.xml.VersioningConfiguration;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * Get/PutBucketVersioning (a bucket setting: Enabled or Suspended; MFA Delete is refused, MooseNG has no MFA
 * devices) and ListObjectVersions.
 */
public final class VersioningHandler {
    private static final long MAX_BODY_BYTES = 16 * 1024;

    private final ObjectService objects;

    public VersioningHandler(ObjectService objects) {
        this.objects = objects;
    }

    public Future<Void> getBucketVersioning(S3Request req) {
        return req.call(() -> objects.getBucket(req.bucket())).compose(b -> req.sendXml(200, VersioningConfiguration.of(
                switch (b.policy().versioning()) {
                    case UNVERSIONED -> null;
                    case ENABLED -> "Enabled";
                    case SUSPENDED -> "Suspended";
                })));
    }

    public Future<Void> putBucketVersioning(S3Request req) {
        if (req.header("x-amz-mfa") != null) {
            throw S3Error.NOT_IMPLEMENTED.exception("MFA authentication (x-amz-mfa) is not implemented.");
        }
        return req.readSmallBody(MAX_BODY_BYTES).map(body -> state(S3Xml.read(body, VersioningConfiguration.class)))
                .compose(state -> BucketSettings.change(req, objects, p -> p.withVersioning(state), 200));
    }

    /**
     * @throws io.mooseng.s3.error.S3Exception IllegalVersioningConfigurationException for a status other than Enabled or
     *                                         Suspended (or an MfaDelete other than Enabled or Disabled); InvalidRequest for MFA Delete
     */
    private static Versioning state(VersioningConfiguration c) {
        if ("Enabled".equals(c.mfaDelete)) {
            throw S3Error.INVALID_REQUEST.exception("MFA Delete cannot be enabled: the request must be authenticated with an MFA device, "
                    + "which MooseNG does not have.");
        }
        if (c.mfaDelete != null && !c.mfaDelete.equals("Disabled")) {
            throw S3Error.ILLEGAL_VERSIONING_CONFIGURATION.exception();
        }
        return switch (c.status == null ? "" : c.status) {
            case "Enabled" -> Versioning.ENABLED;
            case "Suspended" -> Versioning.SUSPENDED;
            default -> throw S3Error.ILLEGAL_VERSIONING_CONFIGURATION.exception("The versioning status must be Enabled or Suspended.");
        };
    }

    public Future<Void> listVersions(S3Request req) {
        String encoding = req.param("encoding-type");
        if (encoding != null && !encoding.equals("url")) {
            throw S3Error.INVALID_ARGUMENT.exception("Invalid Encoding Method specified in Request");
        }
        String prefix = req.param("prefix") == null ? "" : req.param("prefix");
        String delimiter = req.param("delimiter") == null || req.param("delimiter").isEmpty() ? null : req.param("delimiter");
        String keyMarker = req.param("key-marker");
        String versionIdMarker = req.param("version-id-marker");
        if (versionIdMarker != null && !versionIdMarker.isEmpty() && (keyMarker == null || keyMarker.isEmpty())) {
            throw S3Error.INVALID_ARGUMENT.exception("A version-id marker cannot be specified without a key marker.");
        }
        int maxKeys = ListObjectsHandler.maxKeys(req.param("max-keys"), ListObjectsHandler.MAX_KEYS);
        Owner owner = Owner.of(req.auth().accessKey());
        boolean url = encoding != null;
        return req.call(() -> objects.listVersions(req.bucket(), new VersionListRequest(prefix, delimiter, keyMarker, versionIdMarker,
                maxKeys))).compose(page -> req.sendXml(200, result(req.bucket(), page, prefix, delimiter, keyMarker, versionIdMarker,
                maxKeys, url ? encoding : null, owner)));
    }

    private static ListVersionsResult result(String bucket, VersionListPage page, String prefix, String delimiter, String keyMarker,
                                             String versionIdMarker, int maxKeys, String encoding, Owner owner) {
        List<ListVersionsResult.Entry> entries = new ArrayList<>();
        for (ObjectVersion v : page.versions()) {
            String key = encode(v.key(), encoding);
            String modified = S3Xml.timestamp(v.mtimeMillis());
            if (v.deleteMarker()) {
                entries.add(new ListVersionsResult.DeleteMarker(key, v.versionId(), v.latest(), modified, owner));
            } else {
                var m = v.object().manifest();
                entries.add(new ListVersionsResult.Version(key, v.versionId(), v.latest(), modified, ObjectHeaders.quote(m.etag()),
                        m.size(), m.storageClass() == null ? "STANDARD" : m.storageClass().name(), owner));
            }
        }
        List<CommonPrefix> prefixes = page.commonPrefixes().stream().map(cp -> new CommonPrefix(encode(cp, encoding))).toList();
        return new ListVersionsResult(bucket, encode(prefix, encoding), encode(keyMarker == null ? "" : keyMarker, encoding),
                versionIdMarker == null ? "" : versionIdMarker, encode(page.nextKeyMarker(), encoding), page.nextVersionIdMarker(), maxKeys,
                encode(delimiter, encoding), encoding, page.truncated(), entries, prefixes);
    }

    private static String encode(String value, String encoding) {
        return value == null || encoding == null ? value : UriEncoding.encode(value, true);
    }
}
