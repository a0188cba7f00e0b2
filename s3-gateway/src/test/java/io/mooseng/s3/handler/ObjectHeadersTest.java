package io.mooseng.s3.handler;

import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.StorageClass;
import io.mooseng.s3.auth.HeaderText;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ObjectHeadersTest {

    @Test
    void propertiesFromHeaders() {
        MultiMap h = MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "text/plain")
                .add("Content-Encoding", "aws-chunked, gzip")
                .add("Cache-Control", "no-cache")
                .add("X-Amz-Meta-Color", "blue")
                .add("x-amz-meta-list", "a")
                .add("x-amz-meta-list", "b")
                .add("x-amz-meta-utf8", new String("grün".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))
                .add("x-amz-storage-class", "STANDARD");
        ObjectProperties p = ObjectHeaders.properties(h);
        assertEquals("text/plain", p.contentType());
        assertEquals(Map.of("content-encoding", "gzip", "cache-control", "no-cache"), p.contentHeaders());
        assertEquals(Map.of("color", "blue", "list", "a,b", "utf8", "grün"), p.userMetadata());
        assertEquals("gr\u00c3\u00bcn", HeaderText.toWire("grün"), "answered as the same bytes");
        assertEquals("=?UTF-8?B?Z3LDvG4=?=", HeaderText.toEncodedWord("grün"), "metadata answered as S3 does");
        assertEquals("blue", HeaderText.toEncodedWord("blue"));
        assertEquals("=?UTF-8?B?YQFi?=", HeaderText.toEncodedWord("a\u0001b"), "controls are encoded too");

        ObjectProperties bare = ObjectHeaders.properties(MultiMap.caseInsensitiveMultiMap().add("Content-Encoding", "aws-chunked"));
        assertNull(bare.contentType());
        assertEquals(Map.of(), bare.contentHeaders());
    }

    @Test
    void encodedWordsAreStoredAsTheirText() {
        MultiMap h = MultiMap.caseInsensitiveMultiMap()
                .add("x-amz-meta-b", "=?UTF-8?B?5pel5pys?=")
                .add("x-amz-meta-q", "=?utf-8?q?gr=C3=BCn_tea?=")
                .add("x-amz-meta-bad", "=?UTF-8?B?not base64?=")
                .add("x-amz-meta-latin", "=?ISO-8859-1?Q?gr=FCn?=");
        assertEquals(Map.of("b", "日本", "q", "grün tea", "bad", "=?UTF-8?B?not base64?=", "latin", "=?ISO-8859-1?Q?gr=FCn?="),
                ObjectHeaders.properties(h).userMetadata());
        assertEquals("日本", HeaderText.fromEncodedWord(HeaderText.toEncodedWord("日本")));
    }

    @Test
    void metadataIsLimitedTo2KiB() {
        MultiMap ok = MultiMap.caseInsensitiveMultiMap().add("x-amz-meta-k", "v".repeat(2047));
        ObjectHeaders.properties(ok);
        MultiMap big = MultiMap.caseInsensitiveMultiMap().add("x-amz-meta-k", "v".repeat(2048));
        assertEquals(S3Error.METADATA_TOO_LARGE, assertThrows(S3Exception.class, () -> ObjectHeaders.properties(big)).error());
    }

    @Test
    void storageClasses() {
        assertNull(ObjectHeaders.storageClass(null));
        assertNull(ObjectHeaders.storageClass("STANDARD"));
        assertEquals(StorageClass.replicated(2), ObjectHeaders.storageClass("REDUCED_REDUNDANCY"));
        assertEquals(StorageClass.erasure(8, 4), ObjectHeaders.storageClass("EC_8_4"));
        assertEquals(StorageClass.replicated(3), ObjectHeaders.storageClass("REPLICATED_3"));
        assertNull(ObjectHeaders.storageClass("INTELLIGENT_TIERING"));
        assertEquals(StorageClass.EC_4_2, ObjectHeaders.storageClass("STANDARD_IA"));
        assertEquals(StorageClass.erasure(8, 4), ObjectHeaders.storageClass("GLACIER"));
        assertEquals(StorageClass.erasure(8, 4), ObjectHeaders.storageClass("DEEP_ARCHIVE"));
        MooseException e = assertThrows(MooseException.class, () -> ObjectHeaders.storageClass("PLATINUM"));
        assertEquals(S3Error.INVALID_STORAGE_CLASS, S3Exception.from(e).error());
    }

    @Test
    void contentMd5() {
        assertNull(ObjectHeaders.contentMd5(null));
        assertArrayEquals(new byte[16], ObjectHeaders.contentMd5("AAAAAAAAAAAAAAAAAAAAAA=="));
        assertEquals(S3Error.INVALID_DIGEST, assertThrows(S3Exception.class, () -> ObjectHeaders.contentMd5("AAAA")).error());
        assertEquals(S3Error.INVALID_DIGEST, assertThrows(S3Exception.class, () -> ObjectHeaders.contentMd5("%%%")).error());
    }

    @Test
    void promisesThatCannotBeKeptAreRefused() {
        ObjectHeaders.refuseUnsupported(MultiMap.caseInsensitiveMultiMap().add("x-amz-acl", "private").add("x-amz-meta-a", "b"));
        ObjectHeaders.refuseUnsupported(MultiMap.caseInsensitiveMultiMap().add("x-amz-server-side-encryption", "AES256"));
        MultiMap grant = MultiMap.caseInsensitiveMultiMap().add("x-amz-grant-read", "id=x");
        assertEquals(S3Error.NOT_IMPLEMENTED, assertThrows(S3Exception.class, () -> ObjectHeaders.refuseUnsupported(grant)).error());
    }

    @Test
    void keyLength() {
        ObjectHeaders.checkKeyLength("é".repeat(512));
        S3Exception e = assertThrows(S3Exception.class, () -> ObjectHeaders.checkKeyLength("é".repeat(512) + "x"));
        assertEquals(S3Error.KEY_TOO_LONG_ERROR, e.error());
    }

    @Test
    void bucketNames() {
        for (String ok : new String[] {"abc", "my-bucket.2024", "a".repeat(63)}) {
            BucketNames.validate(ok);
        }
        for (String bad : new String[] {"ab", "a".repeat(64), "Upper", "under_score", "-start", "end-", "a..b",
                "192.168.1.1", "xn--punycode", "name-s3alias"}) {
            assertEquals(S3Error.INVALID_BUCKET_NAME, assertThrows(S3Exception.class, () -> BucketNames.validate(bad), bad).error());
        }
    }
}
