package io.mooseng.core.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Appends events to a file as JSON lines (one object per line, fields in the order given), for
 * audit trails. {@link #write} never blocks: events go through a bounded queue to a background
 * thread that appends and flushes them; when the queue is full the event is dropped and counted
 * ({@link #dropped}), so a slow disk slows nobody down. Values are strings, numbers, booleans
 * or null. Dependency-free, so any process (gateways, masters for admin actions) can keep one.
 * Each batch is whole lines appended by one write to a file opened O_APPEND, so writers sharing a
 * file (the S3 and admin trails of {@code mooseng server}) never split each other's lines.
 * Contract: thread-safe.
 */
public final class JsonLinesWriter implements AutoCloseable {
    public static final int DEFAULT_CAPACITY = 10_000;
    private static final System.Logger LOG = System.getLogger(JsonLinesWriter.class.getName());
    private static final Object END = new Object();

    private final Path file;
    private final BlockingQueue<Object> queue;
    private final FileChannel out;
    private final Thread appender;
    private final LongAdder written = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private volatile boolean closed;

    /**
     * Opens {@code file} for appending (created if absent, mode as the umask gives) and starts
     * the appending thread.
     *
     * @throws UncheckedIOException if the file cannot be opened
     */
    public JsonLinesWriter(Path file, int capacity) {
        this.file = file;
        this.queue = new ArrayBlockingQueue<>(capacity);
        try {
            this.out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + " for appending", e);
        }
        this.appender = Thread.ofPlatform().name("jsonlines-" + file.getFileName()).daemon().start(this::append);
    }

    /** Queues one event; @return false if it was dropped (queue full, or closed) */
    public boolean write(Map<String, ?> event) {
        if (closed || !queue.offer(line(event))) {
            dropped.increment();
            return false;
        }
        return true;
    }

    /** Events appended to the file so far. */
    public long written() {
        return written.sum();
    }

    /** Events dropped because the queue was full (or the writer closed). */
    public long dropped() {
        return dropped.sum();
    }

    /** Appends what is queued, then closes the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(END);
            appender.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void append() {
        List<Object> batch = new ArrayList<>();
        try (out) {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch);
                boolean end = false;
                StringBuilder lines = new StringBuilder();
                int count = 0;
                for (Object line : batch) {
                    if (line == END) {
                        end = true;
                    } else {
                        lines.append((String) line);
                        count++;
                    }
                }
                // in the page cache soon after the events, for tail -f and crashes
                ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                written.add(count);
                batch.clear();
                if (end) {
                    return;
                }
            }
        } catch (IOException e) {
            closed = true;
            LOG.log(System.Logger.Level.ERROR, "appending to " + file + " failed; no more events are written to it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One JSON object and its newline. */
    static String line(Map<String, ?> event) {
        StringBuilder sb = new StringBuilder(256).append('{');
        for (Map.Entry<String, ?> e : event.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            quote(sb, e.getKey());
            sb.append(':');
            Object v = e.getValue();
            if (v == null || v instanceof Boolean || v instanceof Integer || v instanceof Long) {
                sb.append(v);
            } else {
                quote(sb, v.toString());
            }
        }
        return sb.append("}\n").toString();
    }

    /** A JSON string (RFC 8259): quotes, backslashes and control characters escaped; a lone surrogate as its \\u escape. */
    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    boolean lone = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
                            && Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || lone) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
