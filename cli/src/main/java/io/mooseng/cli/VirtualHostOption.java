package io.mooseng.cli;

import picocli.CommandLine.Option;

/** {@code --virtual-host-domain DOMAIN}: bucket names in the Host header (virtual-hosted-style requests). */
final class VirtualHostOption {
    @Option(names = "--virtual-host-domain", defaultValue = "${env:MOOSENG_S3_DOMAIN}", paramLabel = "DOMAIN",
            description = "Serve virtual-hosted-style requests too: Host BUCKET.DOMAIN addresses BUCKET (env MOOSENG_S3_DOMAIN; "
                    + "e.g. s3.example.com with a wildcard DNS record *.s3.example.com). Unset: path style only.")
    String domain;
}
