package io.mooseng.s3.auth;

import io.mooseng.core.security.ClusterKeys;
import io.mooseng.core.security.SecretBox;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SessionTokensTest {
    private static final ClusterKeys CLUSTER = ClusterKeys.of(SecretBox.newKeyPair());
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final SessionTokens tokens = new SessionTokens(CLUSTER, now::get);

    @Test
    void aTokenOpensOnAnyGatewayOfTheClusterUntilItExpires() {
        SessionTokens.Issued issued = tokens.issue("alice", "AKALICE", "job-1", 900, "{\"Statement\":[]}");
        SessionTokens.Session s = issued.session();
        SessionTokens otherGateway = new SessionTokens(CLUSTER, now::get);
        assertEquals(s, otherGateway.open(issued.token(), s.accessKey()));
        assertEquals(1_000_000 + 900_000, s.expiresMillis());
        assertFalse(issued.token().contains(s.secretKey()), "the secret travels sealed");

        now.addAndGet(899_999);
        assertEquals("alice", tokens.open(issued.token(), s.accessKey()).user());
        now.addAndGet(1);
        assertEquals(S3Error.EXPIRED_TOKEN, assertThrows(S3Exception.class, () -> tokens.open(issued.token(), s.accessKey())).error());
    }

    @Test
    void aTokenOfAnotherClusterOrKeyOrTamperedIsInvalid() {
        SessionTokens.Issued issued = tokens.issue("bob", "AKBOB", "s", 3600, null);
        assertNull(issued.session().policy());
        String key = issued.session().accessKey();
        SessionTokens otherCluster = new SessionTokens(ClusterKeys.of(SecretBox.newKeyPair()), now::get);
        assertEquals(S3Error.INVALID_TOKEN, assertThrows(S3Exception.class, () -> otherCluster.open(issued.token(), key)).error());
        assertEquals(S3Error.INVALID_TOKEN, assertThrows(S3Exception.class, () -> tokens.open(issued.token(), "ASIAOTHER")).error());
        char[] t = issued.token().toCharArray();
        t[t.length / 2] = t[t.length / 2] == 'A' ? 'B' : 'A';
        assertEquals(S3Error.INVALID_TOKEN, assertThrows(S3Exception.class, () -> tokens.open(new String(t), key)).error());
        assertEquals(S3Error.INVALID_TOKEN, assertThrows(S3Exception.class, () -> tokens.open("not base64 !", key)).error());
        assertEquals(S3Error.INVALID_TOKEN, assertThrows(S3Exception.class, () -> tokens.open("", key)).error());
    }

    @Test
    void aTokenOutlivesARotationWhileTheOldPairIsKept() {
        var oldPair = SecretBox.newKeyPair();
        SessionTokens.Issued issued = new SessionTokens(ClusterKeys.of(oldPair), now::get).issue("carol", "AKCAROL", "s", 900, null);
        String key = issued.session().accessKey();
        SessionTokens rotating = new SessionTokens(ClusterKeys.of(SecretBox.newKeyPair(), oldPair), now::get);
        assertEquals("carol", rotating.open(issued.token(), key).user());
        SessionTokens rotated = new SessionTokens(ClusterKeys.of(SecretBox.newKeyPair()), now::get);
        assertEquals(S3Error.INVALID_TOKEN, assertThrows(S3Exception.class, () -> rotated.open(issued.token(), key)).error());
    }
}
