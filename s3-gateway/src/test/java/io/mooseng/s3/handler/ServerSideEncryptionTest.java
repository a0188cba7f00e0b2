package io.mooseng.s3.handler;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules the black-box tests on loopback cannot reach: SSE-C over plain HTTP from elsewhere, algorithms. */
class ServerSideEncryptionTest {
    @Test
    void customerKeysTravelOnlyOverTlsOrFromThisHost() {
        assertTrue(ServerSideEncryption.secretsMayTravel(true, "203.0.113.7"));
        assertTrue(ServerSideEncryption.secretsMayTravel(false, "127.0.0.1"));
        assertTrue(ServerSideEncryption.secretsMayTravel(false, "::1"));
        assertFalse(ServerSideEncryption.secretsMayTravel(false, "203.0.113.7"));
        assertFalse(ServerSideEncryption.secretsMayTravel(false, "10.0.0.1"));
        assertFalse(ServerSideEncryption.secretsMayTravel(false, null));
    }

    @Test
    void onlyAes256IsAServerSideAlgorithm() {
        ServerSideEncryption.checkServerAlgorithm("AES256");
        assertEquals(S3Error.NOT_IMPLEMENTED, assertThrows(S3Exception.class, () -> ServerSideEncryption.checkServerAlgorithm("aws:kms")).error());
        assertEquals(S3Error.NOT_IMPLEMENTED,
                assertThrows(S3Exception.class, () -> ServerSideEncryption.checkServerAlgorithm("aws:kms:dsse")).error());
        assertEquals(S3Error.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> ServerSideEncryption.checkServerAlgorithm("AES128")).error());
    }
}
