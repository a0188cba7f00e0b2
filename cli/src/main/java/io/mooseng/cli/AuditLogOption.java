package io.mooseng.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --audit-log FILE}: the process's audit trail; off unless given. */
final class AuditLogOption {
    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "Append one JSON line per audited action to FILE. Gateways (and mooseng server): every S3 write "
                    + "(PUT, POST, DELETE) and refused request (403, failed authentication): time, request id, access key, "
                    + "source address, operation, bucket, key, status, error. Masters (and mooseng server): every admin action they receive "
                    + "(membership, leadership, users, keys, the zonegroup) and every call refused for the caller's role: "
                    + "time, member, address, role and certificate subject, action, outcome. Never a secret. Off by default.")
    Path file;
}
