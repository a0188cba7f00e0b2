package io.mooseng.cli.bench;

import io.mooseng.core.config.HostPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code mooseng bench wan-relay}: a TCP relay that holds every byte it forwards, in either
 * direction, for a fixed delay, so two processes on one machine talk as across a WAN of twice
 * that round trip. For kernels without netem (scripts/multisite.sh falls back to it): it delays,
 * it does not limit bandwidth or drop packets. One virtual thread per direction reads, another
 * writes each chunk once its time has come, so the delay does not add per chunk.
 */
@Command(name = "wan-relay", mixinStandardHelpOptions = true,
        description = "Relay TCP connections to a target, delaying every byte in both directions (WAN emulation).")
public final class WanRelay implements Callable<Integer> {
    private static final int CHUNK = 64 << 10;
    private static final byte[] END = new byte[0];

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT")
    String listen;

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT")
    String target;

    @Option(names = "--delay-ms", required = true, paramLabel = "MS", description = "Delay each way (the round trip gains twice this).")
    long delayMs;

    private record Chunk(long dueNanos, byte[] bytes) {
    }

    @Override
    public Integer call() throws IOException {
        HostPort at = HostPort.parse(listen);
        HostPort to = HostPort.parse(target);
        try (ServerSocket server = new ServerSocket(at.port(), 128, InetAddress.getByName(at.host()))) {
            System.out.printf("relaying %s -> %s with %d ms each way%n", listen, target, delayMs);
            System.out.flush();
            while (true) {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> relay(client, to));
            }
        }
    }

    private void relay(Socket client, HostPort to) {
        try (client; Socket upstream = new Socket()) {
            upstream.connect(new InetSocketAddress(to.host(), to.port()), 5_000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            Thread up = Thread.ofVirtual().start(() -> pipe(client, upstream));
            pipe(upstream, client);
            up.join();
        } catch (IOException | InterruptedException e) {
            // a relay ends with either side: nothing to report
        }
    }

    /** Copies {@code from} to {@code to}, each chunk {@link #delayMs} after it was read; closes both sides' directions at the end. */
    private void pipe(Socket from, Socket to) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>(1024);
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk c = queue.take();
                    long wait = c.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (c.bytes() == END) {
                        to.shutdownOutput();
                        return;
                    }
                    out.write(c.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
            }
        });
        try (InputStream in = from.getInputStream()) {
            byte[] buf = new byte[CHUNK];
            for (int n; (n = in.read(buf)) > 0; ) {
                queue.put(new Chunk(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs), Arrays.copyOf(buf, n)));
            }
            queue.put(new Chunk(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs), END));
            writer.join();
        } catch (IOException | InterruptedException e) {
            writer.interrupt();
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
