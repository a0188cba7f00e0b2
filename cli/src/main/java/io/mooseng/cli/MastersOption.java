package io.mooseng.cli;

import io.mooseng.core.config.HostPort;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.List;

/** {@code --masters LIST}: how every process but a master finds the metadata group. */
final class MastersOption {
    @Option(names = "--masters", required = true, paramLabel = "LIST",
            description = "Comma-separated raft addresses (HOST:PORT) of the masters; for a single-process server, its --raft-address.")
    String masters;

    List<String> addresses() {
        List<String> list = Arrays.stream(masters.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("--masters lists no address");
        }
        list.forEach(HostPort::parse);
        return list;
    }
}
