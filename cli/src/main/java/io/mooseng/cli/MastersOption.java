package io.mooseng.cli;

import io.mooseng.core.config.HostPort;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.metadata.client.GroupAdmin;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** {@code --masters LIST} and the TLS options: how every process but a master reaches the metadata group. */
final class MastersOption {
    @Option(names = "--masters", required = true, paramLabel = "LIST",
            description = "Comma-separated raft addresses (HOST:PORT) of the masters; for a single-process server, its --raft-address.")
    String masters;

    @Mixin
    TlsOption tlsOption;

    private ClusterTls tls;
    private boolean resolved;

    /** What an admin command does with a connection to the group. */
    interface MetadataCall<T> {
        T call(RaftMetadataService metadata) throws Exception;
    }

    /** Connects to the masters (as an admin tool: its TLS folder from --tls-dir only), runs {@code body}, disconnects. */
    <T> T withMetadata(MetadataCall<T> body) throws Exception {
        try (RaftMetadataService metadata = RaftMetadataService.connect(addresses(), clientConfig(null))) {
            return body.call(metadata);
        }
    }

    /** The group's admin calls (membership, status) with this process's identity. */
    GroupAdmin groupAdmin() throws IOException {
        return GroupAdmin.connect(addresses(), tls(null));
    }

    /** The metadata client settings, with TLS when this process has a certificate (resolved once). */
    MetadataClientConfig clientConfig(Path defaultTlsDir, String... ownAddresses) throws IOException {
        return MetadataClientConfig.DEFAULTS.withTls(tls(defaultTlsDir, ownAddresses));
    }

    /**
     * This process's TLS identity, or null for plaintext (resolved once).
     *
     * @param defaultTlsDir the folder when --tls-dir is not given (DATA/tls), or null
     * @param ownAddresses  what the process listens on, beside the masters it calls (nulls: options not given)
     */
    ClusterTls tls(Path defaultTlsDir, String... ownAddresses) throws IOException {
        if (!resolved) {
            List<String> all = new ArrayList<>(addresses());
            Arrays.stream(ownAddresses).filter(Objects::nonNull).forEach(all::add);
            tls = tlsOption.resolve(defaultTlsDir, all);
            resolved = true;
        }
        return tls;
    }

    /** The TLS folder in use: --tls-dir, else {@code defaultDir}. */
    Path tlsDir(Path defaultDir) {
        return tlsOption.dir != null ? tlsOption.dir : defaultDir;
    }

    List<String> addresses() {
        List<String> list = Arrays.stream(masters.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("--masters lists no address");
        }
        list.forEach(HostPort::parse);
        return list;
    }
}
