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
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Arrays;
import java.util.Collection;
import java.util.Random;

/**
 * Encode and decode throughput of {@link ReedSolomonCodec} with 1 MiB shards, next to
 * {@link #encodeByteTableLoop}, the classic per-byte multiplication-table loop (one output
 * row at a time, one input at a time; the first input assigns, the rest XOR) that
 * JavaReedSolomon's fastest loop uses, as the bar to beat on the same machine.
 *
 * <p>Run with {@code scripts/bench-codec.sh [JMH options]}; {@link #main} prints data
 * bytes per second (k x shard size per operation) after JMH's own table.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReedSolomonBenchmark {
    static final int SHARD_BYTES = 1 << 20;

    /** k+m. */
    @Param({"4+2", "8+4"})
    public String code;

    private ReedSolomonCodec codec;
    private byte[][] shards;
    private boolean[] twoDataShardsLost;
    private byte[][][] multiplicationRows;

    @Setup
    public void setUp() {
        String[] km = code.split("\\+");
        codec = ReedSolomonCodec.of(Integer.parseInt(km[0]), Integer.parseInt(km[1]));
        shards = new byte[codec.totalShards()][SHARD_BYTES];
        Random random = new Random(1);
        for (int i = 0; i < codec.dataShards(); i++) {
            random.nextBytes(shards[i]);
        }
        codec.encodeParity(shards, 0, SHARD_BYTES);
        twoDataShardsLost = new boolean[codec.totalShards()];
        Arrays.fill(twoDataShardsLost, true);
        twoDataShardsLost[0] = false;
        twoDataShardsLost[1] = false;
        multiplicationRows = parityMultiplicationRows();
    }

    @Benchmark
    public byte[][] encode() {
        codec.encodeParity(shards, 0, SHARD_BYTES);
        return shards;
    }

    /** Rebuilds data shards 0 and 1 from the other data shards and the parity. */
    @Benchmark
    public byte[][] decodeTwoLostDataShards() {
        codec.reconstruct(shards, twoDataShardsLost, 0, SHARD_BYTES);
        return shards;
    }

    /** The reference loop: the same parity as {@link #encode}, one table lookup per byte and input. */
    @Benchmark
    public byte[][] encodeByteTableLoop() {
        int k = codec.dataShards();
        for (int r = 0; r < codec.parityShards(); r++) {
            byte[] out = shards[k + r];
            byte[] table = multiplicationRows[r][0];
            byte[] in = shards[0];
            for (int i = 0; i < SHARD_BYTES; i++) {
                out[i] = table[in[i] & 0xff];
            }
            for (int j = 1; j < k; j++) {
                table = multiplicationRows[r][j];
                in = shards[j];
                for (int i = 0; i < SHARD_BYTES; i++) {
                    out[i] ^= table[in[i] & 0xff];
                }
            }
        }
        return shards;
    }

    /** rows[r][j]: the multiplication-table row of parity coefficient (r, j), read back by encoding unit vectors. */
    private byte[][][] parityMultiplicationRows() {
        int k = codec.dataShards();
        int m = codec.parityShards();
        byte[][][] rows = new byte[m][k][];
        for (int j = 0; j < k; j++) {
            byte[][] unit = new byte[codec.totalShards()][1];
            unit[j][0] = 1;
            codec.encodeParity(unit, 0, 1);
            for (int r = 0; r < m; r++) {
                rows[r][j] = GaloisField.multiplicationRow(unit[k + r][0] & 0xff);
            }
        }
        return rows;
    }

    /** Runs this benchmark with JMH command-line options and prints MB/s of data per operation. */
    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args);
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .parent(options)
                .include(ReedSolomonBenchmark.class.getName() + "\\.")
                .build()).run();
        System.out.println();
        System.out.printf("%-40s %6s %12s %10s%n", "benchmark", "code", "MB/s", "+-");
        for (RunResult result : results) {
            String code = result.getParams().getParam("code");
            int k = Integer.parseInt(code.split("\\+")[0]);
            double bytesPerOp = (double) k * SHARD_BYTES / 1e6;
            String name = result.getParams().getBenchmark();
            System.out.printf("%-40s %6s %12.0f %10.0f%n", name.substring(name.lastIndexOf('.') + 1), code,
                    result.getPrimaryResult().getScore() * bytesPerOp, result.getPrimaryResult().getScoreError() * bytesPerOp);
        }
    }
}
