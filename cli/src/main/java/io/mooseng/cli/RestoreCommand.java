package io.mooseng.cli;

import io.mooseng.metadata.raft.MetadataRestore;
import io.mooseng.metadata.store.LogPosition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** {@code admin metadata restore}: seed new masters' folders from a metalogger after losing every master. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Seed the --data folders of new masters from a stopped metalogger's (or master's) --data folder; then start the masters on them.")
final class RestoreCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "DIR", description = "The metalogger's --data folder (stop it first).")
    Path from;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "A new master's --data folder; repeat once per master.")
    List<Path> to;

    @Mixin
    OutputOption out;

    @Mixin
    ProgressOption progress;

    @Override
    public Integer call() throws Exception {
        List<Path> targets = to.stream().map(d -> d.resolve("meta")).toList();
        // each target gets a copy of the database but its info logs (hard links within one file system: done at once)
        long total = bytesUnder(MetadataRestore.database(from.resolve("meta")), name -> !name.startsWith("LOG")) * targets.size();
        long start = System.nanoTime();
        AtomicBoolean finished = new AtomicBoolean();
        // the targets also hold Raft's small metadata files: the count stops at the total
        ProgressPrinter printer = ProgressPrinter.start(progress.mode, out.json, () -> ProgressLine.of("restoring",
                finished.get() ? total : Math.min(total, targets.stream().mapToLong(t -> bytesUnder(t, name -> true)).sum()), total,
                (System.nanoTime() - start) / 1e9, ByteSizes::approximate));
        LogPosition restored;
        try {
            restored = MetadataRestore.restore(from.resolve("meta"), targets);
            finished.set(true);
        } finally {
            if (printer != null) {
                printer.close();
            }
        }
        out.print(java.util.Map.of("index", restored.index(), "term", restored.term(), "to", to.stream().map(Path::toString).toList()),
                () -> String.format("restored metadata up to log index %d (term %d) into %s", restored.index(), restored.term(), to));
        return 0;
    }

    /** Bytes of the files under {@code dir} whose names {@code counted} takes, now (0 when absent; files that vanish meanwhile are skipped). */
    private static long bytesUnder(Path dir, Predicate<String> counted) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.mapToLong(f -> {
                try {
                    return Files.isRegularFile(f) && counted.test(f.getFileName().toString()) ? Files.size(f) : 0;
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
