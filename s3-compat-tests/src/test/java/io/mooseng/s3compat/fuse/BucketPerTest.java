package io.mooseng.s3compat.fuse;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/** Gives every test a fresh bucket of its own on the filesystem under test, and removes it afterwards. */
public abstract class BucketPerTest {
    private final List<Path> buckets = new ArrayList<>();
    private String testName;

    /** The test's own bucket. */
    protected Path dir;

    protected abstract FilesystemUnderTest fs();

    @BeforeEach
    final void createBucket(TestInfo test) throws IOException {
        testName = test.getTestMethod().map(Method::getName).orElse("test");
        dir = anotherBucket();
    }

    /** One more fresh bucket, removed with the test's own. */
    protected final Path anotherBucket() throws IOException {
        Path bucket = fs().newBucket(bucketName(testName));
        buckets.add(bucket);
        return bucket;
    }

    @AfterEach
    final void removeBuckets() throws IOException {
        for (Path bucket : buckets) {
            try (Stream<Path> tree = Files.walk(bucket)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The test's name, made to fit S3's bucket rules (3 to 63 of a-z, 0-9 and '-'), plus a unique suffix. */
    private static String bucketName(String testName) {
        String words = testName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-");
        String prefix = words.substring(0, Math.min(words.length(), 48)).replaceAll("-+$", "");
        return prefix + "-" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    }
}
