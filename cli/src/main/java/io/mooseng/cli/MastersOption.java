package io.mooseng.cli;

import io.mooseng.core.config.HostPort;
import io.mooseng.metadata.client.RaftMetadataService;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.List;

/** {@code --masters LIST}: how every process but a master finds the metadata group. */
final class MastersOption {
    @Option(names = "--masters", required = true, paramLabel = "LIST",
            description = "Comma-separated raft addresses (HOST:PORT) of the masters; for a single-process server, its --raft-address.")
    String masters;

    /** What an admin command does with a connection to the group. */
    interface MetadataCall<T> {
        T call(RaftMetadataService metadata) throws Exception;
    }

    /** Connects to the masters, runs {@code body}, disconnects. */
    <T> T withMetadata(MetadataCall<T> body) throws Exception {
        try (RaftMetadataService metadata = RaftMetadataService.connect(addresses())) {
            return body.call(metadata);
        }
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
