package io.mooseng.cli;

import io.mooseng.cli.node.MemoryPlan;
import picocli.CommandLine.Option;

/** {@code --memory-budget SIZE}: the bytes a process lets data in flight hold. */
final class MemoryOption {
    @Option(names = "--memory-budget", defaultValue = "auto", paramLabel = "SIZE",
            description = "Bytes that data in flight may hold (request bodies, block and coding buffers, transport buffers), "
                    + "e.g. 512MiB; beyond it new requests wait briefly, then get 503 SlowDown "
                    + "(default: ${DEFAULT-VALUE} = 40%% of the smaller of the heap and direct-memory limits).")
    String memoryBudget;

    /** The configured budget, or 0 for the default. */
    long totalBytes() {
        if ("auto".equalsIgnoreCase(memoryBudget)) {
            return 0;
        }
        long total = ByteSizes.parse(memoryBudget);
        if (total <= 0) {
            throw new IllegalArgumentException("--memory-budget must be positive: " + memoryBudget);
        }
        return total;
    }

    MemoryPlan plan(boolean objects, boolean chunkservers) {
        return MemoryPlan.of(totalBytes(), objects, chunkservers);
    }
}
