package io.mooseng.cli.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A master as a child JVM of this process (same classpath), for benchmarks that kill masters. */
final class ChildMaster {
    private final List<String> command;
    private final Path log;
    private Process process;

    ChildMaster(String id, String address, String peers, Path data, long electionTimeoutMs) {
        this.log = data.resolveSibling(id + ".log");
        this.command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseZGC", "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.mooseng.cli.Main",
                "master", "--id", id, "--data", data.toString(), "--raft-address", address, "--peers", peers,
                "--election-timeout-ms", Long.toString(electionTimeoutMs)));
    }

    void start() throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** SIGKILL: the process gets no chance to do anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }
}
