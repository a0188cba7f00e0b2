package io.mooseng.core.chunk.ec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Encode and decode (data shards 0 and 1 lost) throughput of {@link ReedSolomonCodec} with
 * 1 MiB shards, on each {@link CodingKernel}, from byte arrays (heap) and from native memory
 * (native: what the ISA-L kernel codes without copies).
 *
 * <p>Run with {@code scripts/bench-codec.sh [JMH options]}: it also runs ISA-L's own C loop on
 * the same work (scripts/isal-bench.c) and names its output in {@value #C_REFERENCE_PROPERTY},
 * so that {@link #main} prints, after JMH's table, MB/s of data next to ISA-L C's and the ratio.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReedSolomonBenchmark {
    static final int SHARD_BYTES = 1 << 20;
    static final String C_REFERENCE_PROPERTY = "mooseng.bench.isal-c";

    /** k+m. */
    @Param({"4+2", "8+4"})
    public String code;

    /** A {@link CodingKernel#key()}; {@link #main} keeps those available here. */
    @Param({"isal", "vector", "scalar"})
    public String kernel;

    /** heap: byte[] shards; native: shards in native memory. */
    @Param({"heap", "native"})
    public String memory;

    private ErasureCodec codec;
    private byte[][] arrays;
    private MemorySegment[] segments;
    private boolean[] twoDataShardsLost;

    @Setup
    public void setUp() {
        String[] km = code.split("\\+");
        codec = new ReedSolomonCodec(Integer.parseInt(km[0]), Integer.parseInt(km[1]), CodingKernel.choose(kernel));
        arrays = new byte[codec.totalShards()][SHARD_BYTES];
        Random random = new Random(1);
        for (int i = 0; i < codec.dataShards(); i++) {
            random.nextBytes(arrays[i]);
        }
        if (memory.equals("native")) {
            Arena arena = Arena.ofAuto();
            segments = Arrays.stream(arrays).map(a -> arena.allocate(SHARD_BYTES, 64).copyFrom(MemorySegment.ofArray(a)))
                    .toArray(MemorySegment[]::new);
        }
        encode();
        twoDataShardsLost = new boolean[codec.totalShards()];
        Arrays.fill(twoDataShardsLost, true);
        twoDataShardsLost[0] = false;
        twoDataShardsLost[1] = false;
    }

    @Benchmark
    public Object encode() {
        if (segments != null) {
            codec.encodeParity(segments);
            return segments;
        }
        codec.encodeParity(arrays, 0, SHARD_BYTES);
        return arrays;
    }

    /** Rebuilds data shards 0 and 1 from the next k shards. */
    @Benchmark
    public Object decode() {
        if (segments != null) {
            codec.reconstruct(segments, twoDataShardsLost);
            return segments;
        }
        codec.reconstruct(arrays, twoDataShardsLost, 0, SHARD_BYTES);
        return arrays;
    }

    /**
     * Runs this benchmark with JMH command-line options and prints MB/s of data: JMH's score
     * in operations per second (mode and time unit are fixed here, whatever the options say)
     * times k x 1 MiB per operation, in MB of 10^6 bytes.
     */
    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args);
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(options).include(ReedSolomonBenchmark.class.getName() + "\\.")
                .mode(Mode.Throughput).timeUnit(TimeUnit.SECONDS);
        if (!options.getParameter("kernel").hasValue()) {
            builder.param("kernel", Arrays.stream(CodingKernel.values()).filter(k -> k.unavailability().isEmpty())
                    .map(CodingKernel::key).toArray(String[]::new));
        }
        Collection<RunResult> results = new Runner(builder.build()).run();
        Map<String, Double> isalC = cReference();
        System.out.println();
        System.out.println("MB/s of data (k x 1 MiB of data coded per operation, MB = 10^6 bytes), one thread: the mean and"
                + " the best JMH iteration; isa-l C: the best run of ISA-L's own loop on the same work (scripts/isal-bench.c);"
                + " java/C: best over best");
        System.out.printf("%-7s %-5s %-7s %-7s %8s %8s %8s %8s %7s%n", "op", "code", "kernel", "memory", "mean", "+-", "best", "isa-l C", "java/C");
        for (RunResult result : results) {
            String op = result.getParams().getBenchmark().replaceAll(".*\\.", "");
            String code = result.getParams().getParam("code");
            double mbPerOp = Integer.parseInt(code.split("\\+")[0]) * (double) SHARD_BYTES / 1e6;
            Result<?> score = result.getPrimaryResult();
            double best = score.getStatistics().getMax() * mbPerOp;
            Double c = isalC.get(op + " " + code);
            System.out.printf("%-7s %-5s %-7s %-7s %8.0f %8.0f %8.0f %8s %7s%n", op, code, result.getParams().getParam("kernel"),
                    result.getParams().getParam("memory"), score.getScore() * mbPerOp, score.getScoreError() * mbPerOp, best,
                    c == null ? "-" : String.format("%.0f", c), c == null ? "-" : String.format("%.2f", best / c));
        }
    }

    /** "op k+m" to MB/s from the lines "op k+m MB/s" of scripts/isal-bench.c, if the script ran it. */
    private static Map<String, Double> cReference() throws IOException {
        Map<String, Double> reference = new HashMap<>();
        String file = System.getProperty(C_REFERENCE_PROPERTY);
        if (file != null) {
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3) {
                    reference.put(f[0] + " " + f[1], Double.parseDouble(f[2]));
                }
            }
        }
        return reference;
    }
}
