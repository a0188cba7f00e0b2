package io.mooseng.cli;

import picocli.CommandLine.Option;

/** {@code --region NAME}: the region S3 clients must sign for; unset, the gateway takes any. */
final class RegionOption {
    @Option(names = "--region", defaultValue = "${env:MOOSENG_S3_REGION}", paramLabel = "NAME",
            description = "Region S3 requests must be signed for, e.g. eu-west-1 (env MOOSENG_S3_REGION); requests signed "
                    + "for another get AuthorizationHeaderMalformed. Unset: any region is accepted and us-east-1 is answered.")
    String region;
}
