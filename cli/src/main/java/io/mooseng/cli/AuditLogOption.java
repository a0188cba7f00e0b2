package io.mooseng.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --audit-log FILE}: the gateway's audit trail; off unless given. */
final class AuditLogOption {
    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "Append one JSON line per S3 write (PUT, POST, DELETE) and per refused request (403, failed "
                    + "authentication) to FILE: time, request id, access key, source address, operation, bucket, key, "
                    + "status, error. Never a secret or a signature. Off by default.")
    Path file;
}
