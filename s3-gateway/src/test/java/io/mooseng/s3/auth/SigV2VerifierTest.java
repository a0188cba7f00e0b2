package io.mooseng.s3.auth;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static io.mooseng.s3.auth.SigV4AuthenticatorTest.ACCESS_KEY;
import static io.mooseng.s3.auth.SigV4AuthenticatorTest.SECRET;
import static io.mooseng.s3.auth.SigV4AuthenticatorTest.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signature Version 2: the examples of the AWS documentation, and signatures computed here from a written-out string to sign. */
class SigV2VerifierTest {
    private static SigV4Authenticator at(String instant) {
        return new SigV4Authenticator(Credentials.single(ACCESS_KEY, SECRET), "us-east-1",
                Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
    }

    /** Base64(HMAC-SHA1(secret, text)), computed without the code under test. */
    private static String sign(String stringToSign) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void documentedGetOfAVirtualHostedObjectVerifies() {
        MultiMap h = headers("Host", "johnsmith.s3.amazonaws.com", "Date", "Tue, 27 Mar 2007 19:36:42 +0000",
                "Authorization", "AWS " + ACCESS_KEY + ":bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
        SignedRequest r = at("2007-03-27T19:40:00Z").authenticate("GET", "/photos/puppy.jpg", "/johnsmith/photos/puppy.jpg",
                QueryString.parse(null), h);
        assertEquals(ACCESS_KEY, r.accessKey());
        assertEquals(SigV4Authenticator.UNSIGNED_PAYLOAD, r.payloadHash());
        assertFalse(r.presigned());
    }

    @Test
    void documentedPresignedUrlVerifiesUntilItExpires() {
        String query = "AWSAccessKeyId=" + ACCESS_KEY + "&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D";
        MultiMap h = headers("Host", "johnsmith.s3.amazonaws.com");
        assertTrue(at("2007-03-29T03:40:20Z").authenticate("GET", "/photos/puppy.jpg", "/johnsmith/photos/puppy.jpg",
                QueryString.parse(query), h).presigned());
        S3Exception e = assertThrows(S3Exception.class, () -> at("2007-03-29T03:40:21Z").authenticate("GET", "/photos/puppy.jpg",
                "/johnsmith/photos/puppy.jpg", QueryString.parse(query), h));
        assertEquals(S3Error.ACCESS_DENIED, e.error());
    }

    /** x-amz-* headers lower-cased, sorted and joined; x-amz-date empties the Date line; signed sub-resources only. */
    @Test
    void amzHeadersAndSubresourcesAreSigned() throws Exception {
        String stringToSign = "PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\n\n"
                + "x-amz-acl:public-read\nx-amz-date:Tue, 27 Mar 2007 21:06:08 +0000\n"
                + "x-amz-meta-reviewedby:joe@johnsmith.net,jane@johnsmith.net\n/backups/db.gz?acl";
        MultiMap h = headers("Host", "127.0.0.1:9000", "Date", "Mon, 01 Jan 2001 00:00:00 +0000",
                "x-amz-date", "Tue, 27 Mar 2007 21:06:08 +0000", "Content-Type", "application/x-download",
                "Content-MD5", "4gJE4saaMU4BqNR0kLY+lw==", "X-Amz-Meta-ReviewedBy", "joe@johnsmith.net",
                "X-Amz-Meta-ReviewedBy", "jane@johnsmith.net", "x-amz-acl", "public-read",
                "Authorization", "AWS " + ACCESS_KEY + ":" + sign(stringToSign));
        at("2007-03-27T21:10:00Z").authenticate("PUT", "/backups/db.gz", QueryString.parse("acl&x-id=PutObjectAcl"), h);

        h.set("x-amz-acl", "private");
        S3Exception e = assertThrows(S3Exception.class,
                () -> at("2007-03-27T21:10:00Z").authenticate("PUT", "/backups/db.gz", QueryString.parse("acl"), h));
        assertEquals(S3Error.SIGNATURE_DOES_NOT_MATCH, e.error());
    }

    @Test
    void refusals() throws Exception {
        String date = "Tue, 27 Mar 2007 19:36:42 +0000";
        String good = sign("GET\n\n\n" + date + "\n/b/k");
        assertRefused(S3Error.INVALID_ACCESS_KEY_ID, "2007-03-27T19:36:42Z", headers("Date", date, "Authorization", "AWS AKIDOTHER:" + good));
        assertRefused(S3Error.SIGNATURE_DOES_NOT_MATCH, "2007-03-27T19:36:42Z",
                headers("Date", date, "Authorization", "AWS " + ACCESS_KEY + ":" + good.replace(good.charAt(0), good.charAt(0) == 'A' ? 'B' : 'A')));
        assertRefused(S3Error.REQUEST_TIME_TOO_SKEWED, "2007-03-27T20:00:00Z", headers("Date", date, "Authorization", "AWS " + ACCESS_KEY + ":" + good));
        assertRefused(S3Error.INVALID_ARGUMENT, "2007-03-27T19:36:42Z", headers("Date", date, "Authorization", "AWS " + ACCESS_KEY));
        assertRefused(S3Error.ACCESS_DENIED, "2007-03-27T19:36:42Z", headers("Authorization", "AWS " + ACCESS_KEY + ":" + good));
        at("2007-03-27T19:36:42Z").authenticate("GET", "/b/k", QueryString.parse(null), headers("Date", date, "Authorization", "AWS " + ACCESS_KEY + ":" + good));
    }

    private static void assertRefused(S3Error expected, String now, MultiMap h) {
        S3Exception e = assertThrows(S3Exception.class, () -> at(now).authenticate("GET", "/b/k", QueryString.parse(null), h));
        assertEquals(expected, e.error(), e.getMessage());
    }
}
