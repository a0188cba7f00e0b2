package io.mooseng.cli;

import io.mooseng.metadata.raft.MetadataRestore;
import io.mooseng.metadata.store.LogPosition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

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

    @Override
    public Integer call() throws Exception {
        LogPosition restored = MetadataRestore.restore(from.resolve("meta"), to.stream().map(d -> d.resolve("meta")).toList());
        out.print(java.util.Map.of("index", restored.index(), "term", restored.term(), "to", to.stream().map(Path::toString).toList()),
                () -> String.format("restored metadata up to log index %d (term %d) into %s", restored.index(), restored.term(), to));
        return 0;
    }
}
