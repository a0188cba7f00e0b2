package io.mooseng.cli.bench;

import io.mooseng.s3.auth.Presigner;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code mooseng bench presign}: prints presigned path-and-query lines, one per key, for an
 * external load generator (scripts/bench-wrk.sh feeds them to wrk).
 */
@Command(name = "presign", mixinStandardHelpOptions = true, description = "Print presigned request paths for wrk.")
public final class PresignCommand implements Callable<Integer> {
    @Option(names = "--endpoint", defaultValue = "http://127.0.0.1:9000")
    URI endpoint;

    @Option(names = "--access-key", defaultValue = "${env:MOOSENG_ACCESS_KEY}", required = true)
    String accessKey;

    @Option(names = "--secret-key", defaultValue = "${env:MOOSENG_SECRET_KEY}", required = true)
    String secretKey;

    @Option(names = "--method", defaultValue = "GET")
    String method;

    @Option(names = "--bucket", required = true)
    String bucket;

    @Option(names = "--prefix", defaultValue = "obj-")
    String prefix;

    @Option(names = "--count", defaultValue = "10000")
    int count;

    @Option(names = "--bucket-only", description = "Print one path for the bucket itself (e.g. PUT to create it).")
    boolean bucketOnly;

    @Option(names = "--expires", defaultValue = "3600", description = "Seconds the URLs stay valid (default: ${DEFAULT-VALUE}).")
    int expires;

    @Override
    public Integer call() throws Exception {
        Presigner presigner = new Presigner(endpoint, accessKey, secretKey, "us-east-1");
        String origin = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))) {
            if (bucketOnly) {
                out.write(presigner.presign(method, bucket, null, expires).substring(origin.length()));
                out.newLine();
                return 0;
            }
            for (int i = 0; i < count; i++) {
                out.write(presigner.presign(method, bucket, prefix + i, expires).substring(origin.length()));
                out.newLine();
            }
        }
        return 0;
    }
}
