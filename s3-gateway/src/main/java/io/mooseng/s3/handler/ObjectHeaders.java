package io.mooseng.s3.handler;

import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.model.StorageClass;
import io.mooseng.s3.auth.HeaderText;
import io.mooseng.s3.auth.QueryString;
import io.mooseng.s3.error.S3Error;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Object attributes to and from HTTP headers: content headers, user metadata, storage class, digests. */
public final class ObjectHeaders {
    static final int MAX_METADATA_BYTES = 2048;
    static final String META_PREFIX = "x-amz-meta-";
    /** User metadata names the gateway answers for files the mount made that are not regular files. */
    static final String FILE_TYPE_META = "mooseng-file-type";
    static final String DEVICE_META = "mooseng-device";
    /** Content headers stored verbatim and answered on GET and HEAD. */
    static final List<String> CONTENT_HEADERS =
            List.of("cache-control", "content-disposition", "content-encoding", "content-language", "expires");
    /** Kept with the content headers and answered with them: where a website endpoint would redirect the object's readers. */
    static final String WEBSITE_REDIRECT = "x-amz-website-redirect-location";
    private static final int MAX_REDIRECT_CHARS = 2048;
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private ObjectHeaders() {
    }

    /**
     * What the client says about the object: Content-Type, the content headers, x-amz-website-redirect-location and x-amz-meta-*
     * (names lower-cased, repeated headers joined by ",", an RFC 2047 encoded word decoded). The aws-chunked token of
     * Content-Encoding describes the transfer, not the object, and is dropped.
     *
     * @throws io.mooseng.s3.error.S3Exception MetadataTooLarge over 2 KiB of names and values; InvalidRedirectLocation
     */
    public static ObjectProperties properties(MultiMap headers) {
        Map<String, String> content = new TreeMap<>();
        for (String name : CONTENT_HEADERS) {
            String value = headers.get(name);
            if (name.equals("content-encoding") && value != null) {
                value = withoutAwsChunked(value);
            }
            if (value != null && !value.isEmpty()) {
                content.put(name, HeaderText.fromWire(value));
            }
        }
        String redirect = websiteRedirect(headers);
        if (redirect != null) {
            content.put(WEBSITE_REDIRECT, redirect);
        }
        Map<String, String> meta = new TreeMap<>();
        int size = 0;
        for (String name : headers.names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(META_PREFIX) && !meta.containsKey(lower.substring(META_PREFIX.length()))) {
                String key = lower.substring(META_PREFIX.length());
                String value = HeaderText.fromEncodedWord(HeaderText.fromWire(String.join(",", headers.getAll(name))));
                size += key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
                meta.put(key, value);
            }
        }
        if (size > MAX_METADATA_BYTES) {
            throw S3Error.METADATA_TOO_LARGE.exception("Your metadata headers exceed the maximum allowed metadata size of "
                    + MAX_METADATA_BYTES + " bytes.");
        }
        String type = headers.get("content-type");
        return new ObjectProperties(type == null || type.isEmpty() ? null : HeaderText.fromWire(type), content, meta);
    }

    /**
     * The x-amz-website-redirect-location header, or null without one.
     *
     * @throws io.mooseng.s3.error.S3Exception InvalidRedirectLocation unless it starts with '/', 'http://' or 'https://'
     *                                         and has at most 2048 characters
     */
    static String websiteRedirect(MultiMap headers) {
        String value = headers.get(WEBSITE_REDIRECT);
        if (value == null) {
            return null;
        }
        String location = HeaderText.fromWire(value.trim());
        if (!location.startsWith("/") && !location.startsWith("http://") && !location.startsWith("https://")) {
            throw S3Error.INVALID_REDIRECT_LOCATION.exception();
        }
        if (location.length() > MAX_REDIRECT_CHARS) {
            throw S3Error.INVALID_REDIRECT_LOCATION.exception("The length of the website redirect location cannot exceed "
                    + MAX_REDIRECT_CHARS + " characters.");
        }
        return location;
    }

    /** As {@link #properties}, with the x-amz-tagging header's tags: what PutObject and CreateMultipartUpload store. */
    static ObjectProperties propertiesAndTags(MultiMap headers) {
        return properties(headers).withTags(TagSets.fromHeader(headers.get("x-amz-tagging"), TagSets.MAX_OBJECT_TAGS));
    }

    /**
     * The x-amz-storage-class header as a MooseNG class (the README's table): none, STANDARD
     * and INTELLIGENT_TIERING follow the bucket's policy (null); REDUCED_REDUNDANCY is two
     * replicas; the infrequent-access classes EC_4_2; the archive classes EC_8_4; and
     * REPLICATED_n or EC_k_m by name. A class named here is pinned to the object.
     *
     * @throws io.mooseng.core.error.MooseException INVALID_STORAGE_CLASS for anything else
     */
    public static StorageClass storageClass(String header) {
        String name = header == null ? "" : header.trim();
        return switch (name) {
            case "", "STANDARD", "INTELLIGENT_TIERING" -> null;
            case "REDUCED_REDUNDANCY" -> StorageClass.replicated(2);
            case "STANDARD_IA", "ONEZONE_IA" -> StorageClass.EC_4_2;
            case "GLACIER", "GLACIER_IR", "DEEP_ARCHIVE" -> StorageClass.erasure(8, 4);
            default -> StorageClass.parse(name);
        };
    }

    /**
     * The 16 bytes of a Content-MD5 header, or null without one.
     *
     * @throws io.mooseng.s3.error.S3Exception InvalidDigest when it is not base64 of 16 bytes
     */
    public static byte[] contentMd5(String header) {
        if (header == null) {
            return null;
        }
        try {
            byte[] md5 = Base64.getDecoder().decode(header.trim());
            if (md5.length == 16) {
                return md5;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw S3Error.INVALID_DIGEST.exception();
    }

    /**
     * Refuses write headers whose promise MooseNG cannot keep, rather than store the object
     * without it: explicit grants.
     *
     * @throws io.mooseng.s3.error.S3Exception NotImplemented naming the header; InvalidArgument
     *                                         for an unknown canned ACL
     */
    static void refuseUnsupported(MultiMap headers) {
        AclHandler.checkHeaders(headers);
    }

    /** @throws io.mooseng.s3.error.S3Exception KeyTooLongError over 1024 bytes, as S3 checks before anything else */
    static void checkKeyLength(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > ObjectKey.MAX_KEY_BYTES) {
            throw S3Error.KEY_TOO_LONG_ERROR.exception("Your key is too long: the maximum is " + ObjectKey.MAX_KEY_BYTES + " bytes.");
        }
    }

    /**
     * Sets the object's headers on a GET or HEAD response: ETag, Last-Modified, Content-Type,
     * content headers, user metadata (non-ASCII values RFC 2047-encoded, as S3 answers them),
     * storage class, the number of tags, Accept-Ranges, then the response-* query overrides (response-content-type
     * and friends).
     */
    static void write(HttpServerResponse r, ObjectInfo info, QueryString query) {
        ObjectProperties p = info.manifest().properties();
        r.putHeader("ETag", quote(info.etag()));
        r.putHeader("Last-Modified", HttpDates.format(info.mtimeMillis()));
        r.putHeader("Accept-Ranges", "bytes");
        r.putHeader("Content-Type", p.contentType() == null ? DEFAULT_CONTENT_TYPE : HeaderText.toWire(p.contentType()));
        for (Map.Entry<String, String> h : p.contentHeaders().entrySet()) {
            r.putHeader(h.getKey(), HeaderText.toWire(h.getValue()));
        }
        for (Map.Entry<String, String> m : p.userMetadata().entrySet()) {
            r.putHeader(META_PREFIX + m.getKey(), HeaderText.toEncodedWord(m.getValue()));
        }
        if (!p.tags().isEmpty()) {
            r.putHeader("x-amz-tagging-count", Integer.toString(p.tags().size()));
        }
        ObjectLockHeaders.answer(r, p.lock());
        PosixAttributes posix = info.manifest().posix();
        if (posix != null && posix.specialType() != null) {
            // made through the mount: what the empty object (or the symlink's target) stands for
            r.putHeader(META_PREFIX + FILE_TYPE_META, posix.specialType());
            if (posix.deviceNumbers() != null) {
                r.putHeader(META_PREFIX + DEVICE_META, posix.deviceNumbers());
            }
        }
        if (info.manifest().storageClass() != null) {
            r.putHeader("x-amz-storage-class", info.manifest().storageClass().name());
        }
        if (info.manifest().stamp() != null) {
            r.putHeader(SyncHandler.STAMP_HEADER, info.manifest().stamp().toString());
        }
        for (String override : List.of("content-type", "content-language", "expires", "cache-control",
                "content-disposition", "content-encoding")) {
            String value = query.get("response-" + override);
            if (value != null) {
                r.putHeader(override, value);
            }
        }
    }

    static String quote(String etag) {
        return "\"" + etag + "\"";
    }

    /** An ETag as clients send it back (quoted or not) without quotes. */
    static String unquote(String etag) {
        String t = etag.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static String withoutAwsChunked(String encoding) {
        List<String> kept = new ArrayList<>();
        for (String token : encoding.split(",")) {
            if (!token.trim().isEmpty() && !token.trim().equalsIgnoreCase("aws-chunked")) {
                kept.add(token.trim());
            }
        }
        return String.join(",", kept);
    }
}
