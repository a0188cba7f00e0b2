package io.mooseng.chunkserver.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child process of {@link CompactionKillDashNineTest}: writes shards from several threads
 * and deletes every even one again, while the store compacts every 10 ms, until killed.
 * Prints {@code ACK <n>} once shard n's put has returned and {@code DEL <n>} once its
 * delete has. Arguments: store directory, segment size, first shard number.
 */
public final class ChurnWriter {
    private ChurnWriter() {
    }

    public static void main(String[] args) throws Exception {
        StoreOptions options = StoreOptions.defaults().withSegmentBytes(Long.parseLong(args[1]))
                .withCompactDeadRatio(0.3).withCompactIntervalMillis(10);
        SegmentShardStore store = SegmentShardStore.open(Path.of(args[0]), options);
        store.startCompactor();
        PrintStream out = System.out;
        AtomicLong next = new AtomicLong(Long.parseLong(args[2]));
        for (int t = 0; t < CrashWriter.THREADS; t++) {
            Thread writer = new Thread(() -> {
                try {
                    while (true) {
                        long n = next.getAndIncrement();
                        store.put(TestShards.id(n), TestShards.content(n, CrashWriter.sizeOf(n)));
                        print(out, "ACK " + n);
                        if (n % 2 == 0) {
                            store.delete(TestShards.id(n));
                            print(out, "DEL " + n);
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    System.exit(2);
                }
            });
            writer.start();
        }
    }

    private static void print(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
