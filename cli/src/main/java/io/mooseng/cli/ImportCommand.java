package io.mooseng.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mooseng.chunkserver.transport.ChunkClientOptions;
import io.mooseng.cli.imports.ImportReport;
import io.mooseng.cli.imports.TreeImport;
import io.mooseng.cli.node.DataPath;
import io.mooseng.cli.node.ProcessVertx;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mooseng import}: a local tree (a mounted MooseFS, any folder) into a bucket or directory. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Copy a local tree (a mounted MooseFS, or any folder) into a bucket or a directory of the namespace, keeping "
                + "modes, owners, times, symlinks, hard links, special files and user.* xattrs. Run it again to resume: entries "
                + "already there with the source's size and time are skipped.",
                "Exit status: 0 when every entry was imported, 1 when some failed (listed in the report)."})
final class ImportCommand implements Callable<Integer> {
    @Mixin
    MastersOption masters;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The folder to copy (e.g. a MooseFS mount point).")
    Path source;

    @Option(names = "--to", required = true, paramLabel = "BUCKET[/PATH]",
            description = "Where the tree goes: a bucket (created if missing), optionally a directory in it.")
    String to;

    @Option(names = "--parallel", defaultValue = "8", paramLabel = "N", description = "Files copied at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--verify", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Read every file back from the cluster and compare its MD5 with the source's (default: on; --no-verify skips it).")
    boolean verify;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|always|never",
            description = "Progress on stderr: a line rewritten every second on a terminal, one every 10 s otherwise (auto), or none.")
    String progress;

    @Option(names = "--json", description = "Print the final report as JSON.")
    boolean json;

    @Mixin
    MemoryOption memory;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException(source + " is not a directory: give the folder to copy (a MooseFS mount point, for one)");
        }
        if (parallel < 1 || parallel > 256) {
            throw new IllegalArgumentException("--parallel must be 1 to 256");
        }
        int slash = to.indexOf('/');
        String bucket = slash < 0 ? to : to.substring(0, slash);
        String target = slash < 0 ? "" : to.substring(slash + 1);
        long[] totals = TreeImport.measure(source);
        ImportReport report = new ImportReport(totals[0], totals[1]);
        Vertx vertx = ProcessVertx.create();
        try (RaftMetadataService metadata = RaftMetadataService.connect(masters.addresses(), masters.clientConfig(null));
             DataPath data = DataPath.open(vertx, metadata, ObjectServiceConfig.defaults(StorageClass.EC_4_2),
                     memory.plan(true, false).objects(), System::currentTimeMillis,
                     ChunkClientOptions.defaults().withTls(masters.tls(null)))) {
            ObjectService objects = data.objects();
            ensureBucket(objects, bucket);
            ProgressPrinter ticker = ProgressPrinter.start(progress, json, report::progressLine);
            try {
                new TreeImport(objects, bucket, target, source, parallel, verify, System::currentTimeMillis, report).run();
            } finally {
                if (ticker != null) {
                    ticker.close();
                }
            }
        } finally {
            vertx.close();
        }
        print(report.summary());
        return report.failed() == 0 ? 0 : 1;
    }

    private static void ensureBucket(ObjectService objects, String bucket) {
        try {
            objects.getBucket(bucket).join();
        } catch (RuntimeException e) {
            if (MooseException.of(e).code() != ErrorCode.NO_SUCH_BUCKET) {
                throw e;
            }
            objects.createBucket(bucket, null).join();
            System.err.println("created bucket " + bucket);
        }
    }

    private void print(Map<String, Object> summary) throws Exception {
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(summary));
            return;
        }
        System.out.printf("imported %d files, %d directories, %d symlinks, %d hard links, %d special files: %s in %s s (%s MiB/s)%n",
                summary.get("files"), summary.get("directories"), summary.get("symlinks"), summary.get("hardLinks"),
                summary.get("specialFiles"), ByteSizes.approximate((Long) summary.get("bytes")), summary.get("seconds"),
                summary.get("mibPerSecond"));
        System.out.printf("skipped (already there): %d; verified by read-back: %d; failed: %d%n", summary.get("skipped"),
                summary.get("verified"), summary.get("failed"));
        for (Object f : (List<?>) summary.get("failures")) {
            System.out.println("  failed: " + f);
        }
    }
}
