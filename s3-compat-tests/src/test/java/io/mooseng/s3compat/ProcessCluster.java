package io.mooseng.s3compat;

import io.mooseng.core.security.ClusterTls;
import io.mooseng.metadata.client.GroupAdmin;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.core.status.MemberStatus;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A cluster of separate processes (masters, chunkservers, gateways, metalogger) started by
 * {@code scripts/cluster.sh} (or a script that presets it, such as {@code scripts/demo.sh})
 * exactly as the README documents, on the test classpath and a free port range, and driven
 * through the same script: signals by process name, restarts, membership changes, restore.
 */
final class ProcessCluster implements AutoCloseable {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(4);

    private final String script;
    private final Path dir;
    private final Map<String, String> env = new HashMap<>();

    private ProcessCluster(String script, Path dir, Map<String, String> settings) {
        this.script = script;
        this.dir = dir;
        env.put("MOOSENG_CLUSTER_DIR", dir.toString());
        env.putAll(testEnvironment());
        env.putAll(settings);
    }

    /** Starts the cluster; settings are cluster.sh's environment (MOOSENG_MASTERS, ...). */
    static ProcessCluster up(Path dir, Map<String, String> settings) throws Exception {
        return up("scripts/cluster.sh", dir, settings);
    }

    /** Starts the cluster with {@code script} (relative to the checkout), which takes cluster.sh's commands. */
    static ProcessCluster up(String script, Path dir, Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(settings);
        all.put("MOOSENG_BASE_PORT", Integer.toString(TestPorts.freeRange(140)));
        ProcessCluster c = new ProcessCluster(script, dir, all);
        try {
            c.run("up");
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    /** Runs {@code SCRIPT ARGS}; fails with the script's output unless it exits 0. */
    String run(String... args) throws IOException, InterruptedException {
        return runScript(script, dir, env, args);
    }

    /**
     * Runs a script of the checkout with {@code env} added to the environment; its output goes to a file in
     * {@code dir} while it runs. Fails with the output unless it exits 0 within {@link #SCRIPT_TIMEOUT}.
     */
    static String runScript(String script, Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "script", ".out");
        String[] cmd = new String[args.length + 1];
        cmd[0] = RepoRoot.find().resolve(script).toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " " + Arrays.toString(args) + " timed out:\n" + Files.readString(out));
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        if (p.exitValue() != 0) {
            throw new AssertionError(script + " " + Arrays.toString(args) + " failed (" + p.exitValue() + "):\n" + output);
        }
        return output;
    }

    /**
     * The environment a script needs to run MooseNG on the test classpath: one GC thread per JVM
     * and the first JIT tier only. Many JVMs share the test machine's two cores for a minute or
     * two each; C2 spends a third of a process's start-up CPU (and more under load) on code
     * these tests, which check behaviour and not speed, never run long enough to repay.
     */
    static Map<String, String> testEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("MOOSENG_CLASSPATH", System.getProperty("java.class.path"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("MOOSENG_GC", "-XX:+UseSerialGC");
        env.put("MOOSENG_JAVA_OPTS", JIT_FIRST_TIER);
        return env;
    }

    /** See {@link #testEnvironment()}; settings that give MOOSENG_JAVA_OPTS add it to theirs. */
    static final String JIT_FIRST_TIER = "-XX:TieredStopAtLevel=1";

    void signal(String name, String signal) throws IOException, InterruptedException {
        run("signal", name, signal);
    }

    void start(String name) throws IOException, InterruptedException {
        run("start", name);
    }

    Properties clusterEnv() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("cluster.env"))) {
            p.load(r);
        }
        return p;
    }

    List<URI> endpoints() throws IOException {
        return Arrays.stream(clusterEnv().getProperty("MOOSENG_ENDPOINTS").split(",")).map(URI::create).toList();
    }

    List<String> masters() throws IOException {
        return List.of(clusterEnv().getProperty("MOOSENG_MASTERS_LIST").split(","));
    }

    S3Keys keys() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(clusterEnv().getProperty("MOOSENG_CREDENTIALS")))) {
            p.load(r);
        }
        return new S3Keys(p.getProperty("access_key"), p.getProperty("secret_key"));
    }

    List<MemberStatus> status() throws IOException {
        return GroupAdmin.connect(masters(), adminTls()).status();
    }

    /** The admin's certificate when the cluster runs TLS (MOOSENG_CLUSTER_TLS=1), else null. */
    ClusterTls adminTls() throws IOException {
        String dir = clusterEnv().getProperty("MOOSENG_TLS_DIR");
        return dir == null ? null : ClusterTls.load(Path.of(dir));
    }

    /** A metadata client of the cluster, with the admin's certificate when it runs TLS; the caller closes it. */
    RaftMetadataService metadata() throws IOException {
        return RaftMetadataService.connect(masters(), MetadataClientConfig.DEFAULTS.withTls(adminTls()));
    }

    /** Waits until the members' statuses satisfy {@code condition}; returns them. */
    List<MemberStatus> awaitStatus(String what, Duration timeout, Predicate<List<MemberStatus>> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<MemberStatus> last = List.of();
        Exception lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = status();
                if (condition.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                lastError = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not reached within " + timeout + ": " + what + "; last status " + last
                + stuck(last), lastError);
    }

    /**
     * For a failure message, on one line (the build summary shows one): what each member that
     * did not answer, or answered from an older term than another's, is doing, from a thread
     * dump of its process (the full dump is kept in the cluster folder) and its last log line.
     */
    private String stuck(List<MemberStatus> status) {
        long newestTerm = status.stream().mapToLong(MemberStatus::term).max().orElse(-1);
        StringBuilder out = new StringBuilder();
        for (MemberStatus m : status) {
            if (!m.role().equals("DOWN") && m.term() >= newestTerm) {
                continue;
            }
            out.append(" || ").append(m.id()).append(": ");
            try {
                long pid = Long.parseLong(Files.readString(dir.resolve("pids").resolve(m.id() + ".pid")).strip());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    String dump = threadDump(pid);
                    Files.writeString(dir.resolve("logs").resolve(m.id() + ".threads"), dump);
                    out.append(ThreadDumps.summary(dump));
                } else {
                    out.append("process ").append(pid).append(" not running");
                }
                out.append("; last log line: ").append(logTail(m.id(), 1));
            } catch (IOException | RuntimeException e) {
                out.append("no diagnosis: ").append(e);
            }
        }
        return out.toString();
    }

    private static String threadDump(long pid) throws IOException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        try {
            String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted taking a thread dump", e);
        } finally {
            p.destroyForcibly();
        }
    }

    String awaitLeader() throws Exception {
        return awaitStatus("a leader", Duration.ofSeconds(60), s -> s.stream().anyMatch(m -> m.role().equals("LEADER")))
                .stream().filter(m -> m.role().equals("LEADER")).findFirst().orElseThrow().id();
    }

    /**
     * Waits until member {@code id} is up and has applied every entry the leader had committed
     * when the member was first seen answering: it has made up what it missed. Under a steady
     * write load a follower's applied index trails the leader's commit by tens of entries (it
     * learns of a commit with the next append), so a fixed lag bound is a race, not a state.
     */
    MemberStatus awaitCaughtUp(String id) throws Exception {
        long[] target = {-1};
        return awaitStatus(id + " caught up", Duration.ofSeconds(90), s -> {
            MemberStatus m = s.stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
            long leaderCommit = s.stream().filter(x -> x.role().equals("LEADER")).mapToLong(MemberStatus::commitIndex).max().orElse(-1);
            if (m == null || m.role().equals("DOWN") || m.appliedIndex() < 0 || leaderCommit < 0) {
                return false;
            }
            if (target[0] < 0) {
                target[0] = leaderCommit;
            }
            return m.appliedIndex() >= target[0];
        }).stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    /**
     * The first index still in master {@code id}'s Raft log on disk, -1 if it has none. Ratis
     * purges whole segment files ({@code log_START-END}, {@code log_inprogress_START}), so this
     * is the start of the oldest file: a follower that needs an older entry must install a snapshot.
     */
    long logStartIndex(String id) throws IOException {
        try (Stream<Path> groups = Files.list(dir.resolve(id).resolve("meta"))) {
            long start = -1;
            for (Path current : groups.map(g -> g.resolve("current")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(current)) {
                    // names only: a file purged while listed is still a name, never a failed stat
                    for (String name : files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("log_")).toList()) {
                        String range = name.substring(name.startsWith("log_inprogress_") ? "log_inprogress_".length() : "log_".length());
                        long first = Long.parseLong(range.contains("-") ? range.substring(0, range.indexOf('-')) : range);
                        start = start < 0 ? first : Math.min(start, first);
                    }
                }
            }
            return start;
        }
    }

    /** Whether master {@code id} no longer holds log entry {@code index + 1} on disk (false while it has no log folder). */
    boolean purgedPast(String id, long index) {
        try {
            return logStartIndex(id) > index + 1;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A process's log lines stamped (HH:mm:ss.SSS, UTC, as the test logging writes them) at or
     * after {@code from}, at most {@code max}, to explain a slow step.
     */
    List<String> logSince(String name, Instant from, int max) throws IOException {
        LocalTime start = LocalTime.ofInstant(from, ZoneOffset.UTC);
        return Files.readAllLines(dir.resolve("logs").resolve(name + ".log"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.length() > 12 && l.charAt(2) == ':' && l.charAt(8) == '.')
                .filter(l -> !LocalTime.parse(l.substring(0, 12)).isBefore(start))
                .limit(max).toList();
    }

    /** The last {@code lines} lines of a process's log, for a failure message. */
    String logTail(String name, int lines) throws IOException {
        List<String> all = Files.readAllLines(dir.resolve("logs").resolve(name + ".log"), StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() throws Exception {
        run("down");
    }
}
