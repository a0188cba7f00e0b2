package io.mooseng.s3;

import io.vertx.core.net.PemKeyCertOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The S3 endpoint's HTTPS certificate: a PEM certificate chain and its private key (PKCS#8,
 * PKCS#1 or SEC1), from any CA the clients trust. The gateway re-reads them when they change.
 */
public record S3Certificate(Path certFile, Path keyFile) {
    public S3Certificate {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
    }

    PemKeyCertOptions options() {
        return new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString());
    }

    /** What changes when either file is replaced. */
    String stamp() {
        StringBuilder sb = new StringBuilder();
        for (Path f : new Path[]{certFile, keyFile}) {
            try {
                sb.append(Files.getLastModifiedTime(f).toMillis()).append('/').append(Files.size(f)).append(' ');
            } catch (IOException e) {
                sb.append("missing ");
            }
        }
        return sb.toString();
    }
}
