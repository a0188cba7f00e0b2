package io.mooseng.metadata;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectSummary;
import io.mooseng.core.model.StorageClass;
import io.mooseng.metadata.store.LogPosition;
import io.mooseng.metadata.store.Namespace;
import io.mooseng.metadata.store.NamespaceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * listObjects checked against a plain TreeMap model of S3 listing semantics, over random
 * trees, prefixes, delimiters, markers and page sizes, paginating every listing to its end.
 * Every put succeeds, as in S3: a key and keys under it as a directory ({@code a}, {@code a/},
 * {@code a/b}) coexist, so the random trees hold many such pairs.
 */
@Timeout(60)
class ListObjectsModelTest {
    /** '/' and '-' as separators, '.', '0', 'a', '~', 2-, 3- and 4-byte UTF-8 characters. */
    private static final String[] ALPHABET = {"/", "-", ".", "0", "a", "~", "é", "ｚ", "😀"};
    private static final String[] DELIMITERS = {"/", "-", "a/", null};
    private static final Comparator<String> UTF8 =
            (x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));

    @Test
    void storeMatchesModel(@TempDir Path dir) {
        try (NamespaceStore store = NamespaceStore.open(dir)) {
            long[] index = {0};
            Function<Function<Namespace, Object>, Object> apply = op ->
                    store.apply(new LogPosition(1, ++index[0]), tx -> tx.atomically(op));
            apply.apply(ns -> ns.createBucket("m", StorageClass.EC_4_2, 1));
            for (long seed = 1; seed <= 4; seed++) {
                Random random = new Random(seed);
                TreeMap<String, Boolean> model = new TreeMap<>(UTF8);
                for (int op = 0; op < 400; op++) {
                    mutate(random, model, (k, put) -> {
                        try {
                            apply.apply(ns -> put ? ns.putObject("m", k, manifest(1, k, 1), null) : ns.deleteObject("m", k, 1, null));
                            return null;
                        } catch (MooseException e) {
                            return e.code();
                        }
                    });
                }
                for (int q = 0; q < 150; q++) {
                    checkListing(randomRequest(random, model, 6), model, r -> store.read(ns -> ns.listObjects("m", r)));
                }
                for (String k : List.copyOf(model.keySet())) {
                    apply.apply(ns -> ns.deleteObject("m", k, 1, null));
                }
                assertEquals(List.of(), store.read(ns -> ns.listObjects("m", new ListRequest("", null, null, 10))).objects());
            }
        }
    }

    @Test
    void serviceMatchesModel(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 1)) {
            MetadataService meta = cluster.client();
            join(meta.createBucket("m", StorageClass.EC_4_2, 1));
            Random random = new Random(42);
            TreeMap<String, Boolean> model = new TreeMap<>(UTF8);
            for (int op = 0; op < 120; op++) {
                mutate(random, model, (k, put) -> {
                    try {
                        join(put ? meta.putObject("m", ObjectKey.parse(k), manifest(1, k, 1)).thenApply(s -> s.replaced())
                                : meta.deleteObject("m", ObjectKey.parse(k)));
                        return null;
                    } catch (MooseException e) {
                        return e.code();
                    }
                });
            }
            for (int q = 0; q < 40; q++) {
                checkListing(randomRequest(random, model, 20), model, r -> join(meta.listObjects("m", r)));
            }
        }
    }

    interface Mutation {
        /** @return the failure's code, or null on success */
        ErrorCode run(String key, boolean put);
    }

    /** One random put or delete, checked against what the model expects. */
    private static void mutate(Random random, TreeMap<String, Boolean> model, Mutation mutation) {
        if (!model.isEmpty() && random.nextInt(4) == 0) {
            String k = model.keySet().stream().skip(random.nextInt(model.size())).findFirst().orElseThrow();
            assertEquals(null, mutation.run(k, false), "delete " + k);
            model.remove(k);
            return;
        }
        String k = randomKey(random);
        assertEquals(null, mutation.run(k, true), () -> "put " + k + " with keys " + model.keySet());
        model.put(k, true);
    }

    /** A valid key, often sharing directories with earlier ones. */
    private static String randomKey(Random random) {
        while (true) {
            StringBuilder b = new StringBuilder();
            int n = 1 + random.nextInt(7);
            for (int i = 0; i < n; i++) {
                // '/' twice as likely as anything else, to grow directories
                b.append(random.nextInt(3) == 0 ? "/" : ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            try {
                return ObjectKey.parse(b.toString()).key();
            } catch (MooseException invalid) {
                // empty or dot segments: draw again
            }
        }
    }

    private static ListRequest randomRequest(Random random, TreeMap<String, Boolean> model, int maxKeysBound) {
        String prefix = "";
        if (random.nextInt(3) > 0 && !model.isEmpty()) {
            String k = model.keySet().stream().skip(random.nextInt(model.size())).findFirst().orElseThrow();
            // cut between code points: a request's prefix is valid UTF-8
            prefix = k.substring(0, k.offsetByCodePoints(0, random.nextInt(k.codePointCount(0, k.length()) + 1)));
        } else if (random.nextInt(4) == 0) {
            prefix = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        String delimiter = DELIMITERS[random.nextInt(DELIMITERS.length)];
        String startAfter = null;
        if (random.nextInt(3) == 0) {
            startAfter = random.nextBoolean() || model.isEmpty() ? randomKey(random)
                    : model.keySet().stream().skip(random.nextInt(model.size())).findFirst().orElseThrow();
        }
        return new ListRequest(prefix, delimiter, startAfter, random.nextInt(maxKeysBound));
    }

    /** Lists page by page to the end, comparing every page with the model's. */
    private static void checkListing(ListRequest first, TreeMap<String, Boolean> model, Function<ListRequest, ListPage> list) {
        ListRequest request = first;
        for (int pages = 0; pages < 10_000; pages++) {
            ListPage expected = reference(model, request);
            ListPage actual = list.apply(request);
            ListRequest r = request;
            assertEquals(describe(expected), describe(actual), () -> r + " over " + model.keySet());
            if (!actual.truncated()) {
                return;
            }
            request = new ListRequest(first.prefix(), first.delimiter(), actual.nextStartAfter(), Math.max(1, first.maxKeys()));
        }
        throw new AssertionError("listing did not end: " + first);
    }

    /** S3 listing semantics, straight from the definition. */
    static ListPage reference(TreeMap<String, Boolean> model, ListRequest r) {
        if (r.maxKeys() == 0) {
            return new ListPage(List.of(), List.of(), false, null);
        }
        TreeMap<String, Boolean> entries = new TreeMap<>(UTF8); // entry -> is a common prefix
        for (String key : model.keySet()) {
            if (!key.startsWith(r.prefix())) {
                continue;
            }
            String entry = key;
            int at = r.delimiter() == null ? -1 : key.indexOf(r.delimiter(), r.prefix().length());
            if (at >= 0) {
                entry = key.substring(0, at + r.delimiter().length());
            }
            if (r.startAfter() == null || UTF8.compare(entry, r.startAfter()) > 0) {
                entries.put(entry, at >= 0);
            }
        }
        List<ObjectSummary> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String last = null;
        for (Map.Entry<String, Boolean> e : entries.entrySet()) {
            if (objects.size() + prefixes.size() == r.maxKeys()) {
                return new ListPage(objects, prefixes, true, last);
            }
            if (e.getValue()) {
                prefixes.add(e.getKey());
            } else {
                objects.add(new ObjectSummary(e.getKey(), 1, e.getKey(), 1, Fixtures.ONE_COPY));
            }
            last = e.getKey();
        }
        return new ListPage(objects, prefixes, false, null);
    }

    private static String describe(ListPage p) {
        return "keys=" + p.objects().stream().map(ObjectSummary::key).toList() + " prefixes=" + p.commonPrefixes()
                + " truncated=" + p.truncated() + " next=" + p.nextStartAfter();
    }
}
