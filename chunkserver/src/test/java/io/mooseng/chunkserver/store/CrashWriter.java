package io.mooseng.chunkserver.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child process of {@link KillDashNineTest}: writes shards from several threads until
 * killed, printing {@code ACK <n>} on stdout once shard n's put has returned.
 * Arguments: store directory, segment size, first shard number.
 */
public final class CrashWriter {
    static final int THREADS = 4;

    private CrashWriter() {
    }

    static int sizeOf(long n) {
        return (int) (n * 7919 % 150_000);
    }

    public static void main(String[] args) throws Exception {
        SegmentShardStore store = SegmentShardStore.open(Path.of(args[0]),
                StoreOptions.defaults().withSegmentBytes(Long.parseLong(args[1])));
        PrintStream out = System.out;
        AtomicLong next = new AtomicLong(Long.parseLong(args[2]));
        for (int t = 0; t < THREADS; t++) {
            Thread writer = new Thread(() -> {
                try {
                    while (true) {
                        long n = next.getAndIncrement();
                        store.put(TestShards.id(n), TestShards.content(n, sizeOf(n)));
                        synchronized (out) {
                            out.println("ACK " + n);
                            out.flush();
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    System.exit(2);
                }
            });
            writer.start();
        }
        out.println("READY");
        out.flush();
    }
}
