package io.mooseng.s3.auth;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UriEncodingTest {

    @Test
    void encodesAllButUnreservedCharacters() {
        assertEquals("a-b_c.d~e", UriEncoding.encode("a-b_c.d~e", false));
        assertEquals("a%20b%2Fc%2Bd%3D%C3%A9%21%2A", UriEncoding.encode("a b/c+d=é!*", false));
        assertEquals("dir/a%20b", UriEncoding.encode("dir/a b", true));
        assertEquals("%F0%9F%98%80", UriEncoding.encode("\uD83D\uDE00", false));
    }

    @Test
    void decodesPathsAndQueries() {
        assertEquals("a+b c", UriEncoding.decodePath("a+b%20c"));
        assertEquals("a b c", UriEncoding.decodeQuery("a+b%20c"));
        assertEquals("é", UriEncoding.decodePath("%C3%A9"));
        S3Exception e = assertThrows(S3Exception.class, () -> UriEncoding.decodePath("a%2"));
        assertEquals(S3Error.INVALID_URI, e.error());
        assertThrows(S3Exception.class, () -> UriEncoding.decodePath("%C3%28"));
    }

    @Test
    void canonicalUriEncodesEachSegmentOnce() {
        assertEquals("/b/a%20key%2Bx/y", CanonicalRequest.canonicalUri("/b/a%20key%2Bx/y"));
        assertEquals("/b/a%20key", CanonicalRequest.canonicalUri("/b/a key"));
        assertEquals("/b//c", CanonicalRequest.canonicalUri("/b//c"));
        assertEquals("/", CanonicalRequest.canonicalUri(""));
    }

    @Test
    void queryStringKeepsValuelessParameters() {
        QueryString q = QueryString.parse("uploads&prefix=a%2Fb&list-type=2&&x=");
        assertEquals("", q.get("uploads"));
        assertEquals("a/b", q.get("prefix"));
        assertEquals("", q.get("x"));
        assertEquals("list-type=2&prefix=a%2Fb&uploads=&x=", CanonicalRequest.canonicalQuery(q, null));
    }

    @Test
    void headerValuesAreTrimmedAndSpacesCollapsed() {
        assertEquals("a b,c", CanonicalRequest.canonicalHeaderValue(java.util.List.of("  a    b ", "c")));
    }
}
