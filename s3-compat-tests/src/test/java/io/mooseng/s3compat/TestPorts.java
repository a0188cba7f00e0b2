package io.mooseng.s3compat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Ports for servers the tests start in other processes. */
final class TestPorts {
    private TestPorts() {
    }

    /**
     * The first port of {@code n} consecutive ports that are free right now, below the kernel's
     * ephemeral range: the processes' own outgoing connections (shard transport, Raft) take
     * ephemeral ports, and one could take a port of the range before its server binds it.
     */
    static int freeRange(int n) throws IOException {
        // readAllLines, not readString: /proc files report size 0 and readString returned one byte of this one
        String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
        int ephemeralLow = Integer.parseInt(range.trim().split("\\s+")[0]);
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(10_000, ephemeralLow - n);
            if (allFree(base, n)) {
                return base;
            }
        }
        throw new IOException("no range of " + n + " free ports found");
    }

    private static boolean allFree(int base, int n) {
        for (int port = base; port <= base + n; port++) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
