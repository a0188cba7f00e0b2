package io.mooseng.s3compat;

import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;

/** A running server under test, in process or in a child JVM: where it listens and its keys. */
interface S3Server {
    URI endpoint();

    S3Keys keys();

    /** A new sync client; the caller closes it. */
    default S3Client newClient() {
        return S3Clients.sync(endpoint(), keys());
    }

    /** A server whose address and keys are known already. */
    static S3Server of(URI endpoint, S3Keys keys) {
        return new S3Server() {
            @Override
            public URI endpoint() {
                return endpoint;
            }

            @Override
            public S3Keys keys() {
                return keys;
            }
        };
    }

    default int port() {
        return endpoint().getPort();
    }
}
