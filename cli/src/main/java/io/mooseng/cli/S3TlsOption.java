package io.mooseng.cli;

import io.mooseng.s3.S3Certificate;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --s3-tls-cert FILE --s3-tls-key FILE}: HTTPS on the S3 endpoint. */
final class S3TlsOption {
    @Option(names = "--s3-tls-cert", paramLabel = "FILE",
            description = "Serve S3 over HTTPS with this PEM certificate chain (with --s3-tls-key); a replaced file is served "
                    + "to new connections within 5 s. Default: plain HTTP.")
    Path cert;

    @Option(names = "--s3-tls-key", paramLabel = "FILE", description = "The certificate's PEM private key.")
    Path key;

    /** The certificate, or null for HTTP. */
    S3Certificate certificate() {
        if (cert == null && key == null) {
            return null;
        }
        if (cert == null || key == null) {
            throw new IllegalArgumentException("--s3-tls-cert and --s3-tls-key go together");
        }
        for (Path f : new Path[]{cert, key}) {
            if (!Files.isReadable(f)) {
                throw new IllegalArgumentException("cannot read " + f);
            }
        }
        return new S3Certificate(cert, key);
    }
}
