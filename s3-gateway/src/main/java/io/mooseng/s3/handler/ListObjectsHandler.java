package io.mooseng.s3.handler;

import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.ObjectSummary;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.auth.UriEncoding;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.CommonPrefix;
import io.mooseng.s3.xml.ListBucketResult;
import io.mooseng.s3.xml.ListBucketV2Result;
import io.mooseng.s3.xml.ObjectEntry;
import io.mooseng.s3.xml.Owner;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * ListObjectsV2 and ListObjects (v1). Paging rides on ListPage.nextStartAfter: V1 hands it
 * out as NextMarker (only with a delimiter, as S3; without one the client resumes from the
 * last key), V2 as an opaque continuation token (base64url of the same string).
 */
public final class ListObjectsHandler {
    static final int MAX_KEYS = 1000;

    private final ObjectService objects;

    public ListObjectsHandler(ObjectService objects) {
        this.objects = objects;
    }

    public Future<Void> listV2(S3Request req) {
        Params p = Params.of(req);
        String token = req.param("continuation-token");
        String startAfter = req.param("start-after");
        String resumeAfter = token != null ? decodeToken(token) : startAfter;
        boolean fetchOwner = "true".equals(req.param("fetch-owner"));
        return list(req, p, resumeAfter).compose(page -> req.sendXml(200, new ListBucketV2Result(
                req.bucket(), p.encode(p.prefix), p.encode(p.delimiter), p.maxKeys, p.encodingType,
                page.objects().size() + page.commonPrefixes().size(), page.truncated(), token,
                page.truncated() ? encodeToken(page.nextStartAfter()) : null, p.encode(startAfter),
                entries(p, page, fetchOwner ? Owner.of(req.auth().accessKey()) : null), prefixes(p, page))));
    }

    public Future<Void> listV1(S3Request req) {
        Params p = Params.of(req);
        String marker = req.param("marker");
        return list(req, p, marker).compose(page -> req.sendXml(200, new ListBucketResult(
                req.bucket(), p.encode(p.prefix), p.encode(marker == null ? "" : marker),
                page.truncated() && p.delimiter != null ? p.encode(page.nextStartAfter()) : null,
                p.maxKeys, p.encode(p.delimiter), p.encodingType, page.truncated(),
                entries(p, page, Owner.of(req.auth().accessKey())), prefixes(p, page))));
    }

    private Future<ListPage> list(S3Request req, Params p, String startAfter) {
        return req.call(() -> objects.list(req.bucket(), new ListRequest(p.prefix, p.delimiter, startAfter, p.maxKeys)));
    }

    private static List<ObjectEntry> entries(Params p, ListPage page, Owner owner) {
        return page.objects().stream().map((ObjectSummary o) -> new ObjectEntry(p.encode(o.key()),
                S3Xml.timestamp(o.mtimeMillis()), ObjectHeaders.quote(o.etag()), o.size(),
                o.storageClass() == null ? "STANDARD" : o.storageClass().name(), owner)).toList();
    }

    private static List<CommonPrefix> prefixes(Params p, ListPage page) {
        return page.commonPrefixes().stream().map(cp -> new CommonPrefix(p.encode(cp))).toList();
    }

    static String encodeToken(String startAfter) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(startAfter.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw S3Error.INVALID_ARGUMENT.exception("The continuation token provided is incorrect");
        }
    }

    /** The parameters both versions share. */
    private record Params(String prefix, String delimiter, int maxKeys, String encodingType) {
        static Params of(S3Request req) {
            String encoding = req.param("encoding-type");
            if (encoding != null && !encoding.equals("url")) {
                throw S3Error.INVALID_ARGUMENT.exception("Invalid Encoding Method specified in Request");
            }
            String prefix = req.param("prefix");
            String delimiter = req.param("delimiter");
            return new Params(prefix == null ? "" : prefix, delimiter == null || delimiter.isEmpty() ? null : delimiter,
                    ListObjectsHandler.maxKeys(req.param("max-keys"), MAX_KEYS), encoding);
        }

        /** With encoding-type=url, names go out percent-encoded (keys may hold characters XML cannot carry). */
        String encode(String value) {
            return value == null || encodingType == null ? value : UriEncoding.encode(value, true);
        }
    }

    /** A max-keys style parameter: absent is the default, over the cap is the cap, anything else not a count is refused. */
    static int maxKeys(String value, int cap) {
        if (value == null) {
            return cap;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return Math.min(n, cap);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw S3Error.INVALID_ARGUMENT.exception("Provided max-keys not an integer or within integer range");
    }
}
