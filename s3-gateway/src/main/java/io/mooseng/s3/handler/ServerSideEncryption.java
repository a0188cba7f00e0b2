package io.mooseng.s3.handler;

import io.mooseng.core.crypto.CustomerKey;
import io.mooseng.core.crypto.DataKey;
import io.mooseng.core.crypto.KeyRing;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.s3.error.S3Error;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;

import java.net.InetAddress;
import java.util.Base64;

/**
 * The SSE headers of S3 requests and answers: which data key a write encrypts with
 * (x-amz-server-side-encryption: AES256 for SSE-S3, the x-amz-server-side-encryption-customer-*
 * trio for SSE-C, else the bucket's default), which key a read or a copy source decrypts with,
 * and the headers answered. Customer keys are only ever held for the request; as on AWS they
 * are refused over plain HTTP, except from a loopback client (tests, a local TLS proxy).
 */
public final class ServerSideEncryption {
    static final String SSE = "x-amz-server-side-encryption";
    static final String CUSTOMER = "x-amz-server-side-encryption-customer-";
    static final String COPY_SOURCE_CUSTOMER = "x-amz-copy-source-server-side-encryption-customer-";
    private static final String AES256 = "AES256";

    /** Null on a gateway without the cluster key: SSE-S3 is then not implemented (SSE-C still is). */
    private final KeyRing keys;

    /** @param keys the gateway's key ring, null without a cluster key */
    public ServerSideEncryption(KeyRing keys) {
        this.keys = keys;
    }

    /**
     * The data key a write encrypts with, or null to store plaintext.
     *
     * @param bucketDefault the bucket's default algorithm ("AES256") for writes asking for none, or null
     */
    DataKey forWrite(S3Request req, String bucketDefault) {
        String sse = req.header(SSE);
        CustomerKey customer = customerKey(req, CUSTOMER);
        if (sse != null && customer != null) {
            throw S3Error.INVALID_ARGUMENT.exception(
                    "Server Side Encryption with Customer provided key is incompatible with the encryption method specified");
        }
        if (customer != null) {
            return KeyRing.newCustomerKey(customer);
        }
        String algorithm = sse != null ? sse.trim() : bucketDefault;
        if (algorithm == null) {
            return null;
        }
        checkServerAlgorithm(algorithm);
        if (keys == null) {
            throw S3Error.NOT_IMPLEMENTED.exception("This gateway holds no cluster key: SSE-S3 is not available.");
        }
        return keys.newServerKey();
    }

    /** @throws io.mooseng.s3.error.S3Exception NotImplemented for KMS, InvalidArgument for anything but AES256 */
    static void checkServerAlgorithm(String algorithm) {
        if (algorithm.startsWith("aws:kms")) {
            throw S3Error.NOT_IMPLEMENTED.exception("Server-side encryption with KMS keys is not implemented: use AES256.");
        }
        if (!algorithm.equals(AES256)) {
            throw S3Error.INVALID_ARGUMENT.exception("The encryption method specified is not supported");
        }
    }

    /** The data key reading {@code info} needs (the request's customer key for SSE-C), or null for plaintext. */
    DataKey forRead(S3Request req, ObjectInfo info) {
        return open(info.manifest().encryption(), customerKey(req, CUSTOMER));
    }

    /** As {@link #forRead} for the source of a copy, with the x-amz-copy-source-server-side-encryption-customer-* headers. */
    DataKey forCopySource(S3Request req, ObjectInfo source) {
        return open(source.manifest().encryption(), customerKey(req, COPY_SOURCE_CUSTOMER));
    }

    /**
     * The data key a part of a multipart upload encrypted as {@code upload} (null: plaintext) is written with: an SSE-C
     * upload's every part carries the customer's key, as on S3.
     */
    DataKey forPart(S3Request req, ObjectEncryption upload) {
        return open(upload, customerKey(req, CUSTOMER));
    }

    private DataKey open(ObjectEncryption e, CustomerKey customer) {
        if (e == null || e.mode() != ObjectEncryption.Mode.SSE_C) {
            if (customer != null) {
                throw S3Error.INVALID_REQUEST.exception("The encryption parameters are not applicable to this object.");
            }
            if (e == null) {
                return null;
            }
        }
        if (keys == null) {
            throw S3Error.NOT_IMPLEMENTED.exception("This gateway holds no cluster key: encrypted objects cannot be read here.");
        }
        return keys.open(e, customer);
    }

    /** Answers how an object is encrypted, as S3 does on PUT, GET, HEAD and copies. */
    static void answer(HttpServerResponse r, ObjectEncryption e) {
        if (e == null) {
            return;
        }
        switch (e.mode()) {
            case SSE_S3 -> r.putHeader(SSE, AES256);
            case SSE_C -> r.putHeader(CUSTOMER + "algorithm", AES256).putHeader(CUSTOMER + "key-MD5", e.customerKeyMd5());
        }
    }

    /**
     * The customer key of headers {@code prefix}algorithm, key and key-MD5, or null without them.
     *
     * @throws io.mooseng.s3.error.S3Exception InvalidRequest over plain HTTP from another host; InvalidEncryptionAlgorithmError
     *                                         for an algorithm but AES256; InvalidArgument for a missing or malformed key or MD5
     */
    private static CustomerKey customerKey(S3Request req, String prefix) {
        MultiMap h = req.headers();
        String algorithm = h.get(prefix + "algorithm");
        String key = h.get(prefix + "key");
        String md5 = h.get(prefix + "key-MD5");
        if (algorithm == null && key == null && md5 == null) {
            return null;
        }
        if (!secretsMayTravel(req.http().isSSL(), req.http().remoteAddress().hostAddress())) {
            throw S3Error.INVALID_REQUEST.exception(
                    "Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.");
        }
        if (algorithm == null) {
            throw S3Error.INVALID_ARGUMENT.exception("Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.");
        }
        if (!algorithm.trim().equals(AES256)) {
            throw S3Error.INVALID_ENCRYPTION_ALGORITHM_ERROR.exception("The encryption algorithm specified is not valid.");
        }
        byte[] raw = base64(key);
        if (raw == null || raw.length != 32) {
            throw S3Error.INVALID_ARGUMENT.exception("The secret key was invalid for the specified algorithm.");
        }
        CustomerKey customer = CustomerKey.of(raw);
        if (md5 == null || !md5.trim().equals(customer.md5())) {
            throw S3Error.INVALID_ARGUMENT.exception("The calculated MD5 hash of the key did not match the hash that was provided.");
        }
        return customer;
    }

    private static byte[] base64(String s) {
        try {
            return s == null ? null : Base64.getDecoder().decode(s.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** HTTPS, or plain HTTP from this host (a secret never crosses a network in clear): SSE-C keys, access key secrets to peer zones. */
    static boolean secretsMayTravel(boolean tls, String remoteAddress) {
        try {
            return tls || remoteAddress != null && InetAddress.ofLiteral(remoteAddress).isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
