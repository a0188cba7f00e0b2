package io.mooseng.s3compat;

import io.mooseng.s3compat.ListingModel.Entry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * ListObjectsV2 and V1 over 1,500 keys chosen to exercise byte order, compared entry by entry
 * and page by page with {@link ListingModel}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListingTest {
    private static final int KEY_COUNT = 1500;

    /**
     * Neighbours in byte order ('-' 0x2d < '.' < '/' < '0' < 'A' < 'a' < '~'), multi-byte UTF-8, markers,
     * objects named like directories of other keys ("a" and "a/...", "a/b" and "a/b/c", "marked" and "marked/").
     */
    private static final List<String> FIXED_KEYS = List.of(
            "a.txt", "a/b", "a-b", "a0", "A", "a~", "a/empty/", "marked/", "marked/x", "empty/", "a", "a/b/c", "marked", "a/b/",
            "sp ace/file name.txt", "trailing space ", "日本/東京.txt", "é", "e\u0301", "Ａ", "😀", "\uE000",
            "a+b", "c%d", "e&f", "semi;colon", "q?x", "h#i", "[br]", "quote\"s", "lt<gt>");
    private static final List<String> DIRS = List.of("a", "b", "dir", "é", "日本", "sp ace", "x-y", "Ｂ", "😀d");
    private static final List<String> FILES = List.of("a.txt", "a-b", "a0", "A", "a~", "b", "résumé.pdf", "😀.png",
            "ﬁle", "file 1", "z z", "x-1", "+plus", "UPPER", "0", "_u", "Ａ1", "tilde~");

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    private static S3Client s3;
    private static String bucket;
    private static ListingModel model;

    @BeforeAll
    static void putKeys() throws Exception {
        s3 = cluster.client();
        bucket = cluster.newBucket("listing");
        model = new ListingModel(keySet());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (String key : model.keys()) {
                puts.add(pool.submit(() -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body(key)))));
            }
            for (Future<?> put : puts) {
                put.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static Stream<Arguments> listings() {
        return Stream.of(
                arguments("", null, 1000),
                arguments("", null, 7),
                arguments("", "/", 1000),
                arguments("", "/", 7),
                arguments("", "-", 1000),
                arguments("", "x", 1000),
                arguments("", "é", 7),
                arguments("a", "/", 7),
                arguments("a/", "/", 1),
                arguments("a/b", "/", 1),
                arguments("a/b", null, 1),
                arguments("marked", "/", 1),
                arguments("a/", null, 7),
                arguments("a", "-", 1),
                arguments("dir/", "/", 1),
                arguments("日本/", "/", 7),
                arguments("sp ace/", "/", 1000),
                arguments("A", "/", 1),
                arguments("no-such-prefix", "/", 1000));
    }

    @ParameterizedTest(name = "prefix=''{0}'' delimiter=''{1}'' max-keys={2}")
    @MethodSource("listings")
    void listObjectsV2MatchesModel(String prefix, String delimiter, int maxKeys) {
        assertEquals(model.list(prefix, delimiter, null), listV2(prefix, delimiter, maxKeys, null));
    }

    @ParameterizedTest(name = "prefix=''{0}'' delimiter=''{1}'' max-keys={2}")
    @MethodSource("listings")
    void listObjectsV1MatchesModel(String prefix, String delimiter, int maxKeys) {
        assertEquals(model.list(prefix, delimiter, null), listV1(prefix, delimiter, maxKeys, null));
    }

    static Stream<Arguments> startPoints() {
        return Stream.of(
                arguments("", null, 7, "a.txt"),
                arguments("", null, 1000, "a/b"),
                arguments("", "/", 7, "a0"),
                arguments("", "/", 1000, "b"),
                arguments("a/", "/", 1, "a/a~"),
                arguments("a/", "/", 1, "a/b"),
                arguments("", null, 1, "a"),
                arguments("", "/", 1, "a"),
                arguments("", "-", 7, "x"),
                arguments("", null, 1000, "Ａ"),
                arguments("", null, 1000, "😀😀"));
    }

    @ParameterizedTest(name = "prefix=''{0}'' delimiter=''{1}'' max-keys={2} start-after=''{3}''")
    @MethodSource("startPoints")
    void listObjectsV2StartAfterMatchesModel(String prefix, String delimiter, int maxKeys, String startAfter) {
        assertEquals(model.list(prefix, delimiter, startAfter), listV2(prefix, delimiter, maxKeys, startAfter));
    }

    @ParameterizedTest(name = "prefix=''{0}'' delimiter=''{1}'' max-keys={2} marker=''{3}''")
    @MethodSource("startPoints")
    void listObjectsV1MarkerMatchesModel(String prefix, String delimiter, int maxKeys, String marker) {
        assertEquals(model.list(prefix, delimiter, marker), listV1(prefix, delimiter, maxKeys, marker));
    }

    @Test
    void listingReportsEachObjectsSizeAndMarkersAsEmptyKeys() {
        Map<String, Long> sizes = new HashMap<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> sizes.put(o.key(), o.size()));

        Map<String, Long> expected = new HashMap<>();
        model.keys().forEach(k -> expected.put(k, (long) body(k).length));
        assertEquals(expected, sizes);
        assertEquals(0L, sizes.get("marked/"));
        assertEquals(0L, sizes.get("empty/"));
    }

    @Test
    void directoryMarkersAppearAsKeysUnderTheirPrefix() {
        assertEquals(List.of(new Entry("marked/", false), new Entry("marked/x", false)), listV2("marked/", "/", 1000, null));
        assertEquals(List.of(new Entry("empty/", false)), listV2("empty/", "/", 1000, null));
        assertEquals(List.of(new Entry("a/empty/", false)), listV2("a/empty/", null, 1000, null));
    }

    /** ListBuckets pages by max-buckets and an opaque continuation token, filtered by prefix, and names both back. */
    @Test
    void listBucketsPagesByMaxBucketsAndContinuationToken() {
        List<String> names = List.of("lb-a-1", "lb-a-2", "lb-a-3", "lb-b-1");
        names.forEach(n -> s3.createBucket(b -> b.bucket(n)));

        ListBucketsResponse first = s3.listBuckets(b -> b.prefix("lb-a-").maxBuckets(2));
        ListBucketsResponse second = s3.listBuckets(b -> b.prefix("lb-a-").maxBuckets(2).continuationToken(first.continuationToken()));
        List<String> all = new ArrayList<>();
        s3.listBucketsPaginator(b -> b.maxBuckets(1)).buckets().forEach(bucket -> all.add(bucket.name()));

        assertEquals(List.of("lb-a-1", "lb-a-2"), first.buckets().stream().map(Bucket::name).toList());
        assertEquals("lb-a-", first.prefix());
        assertNotNull(first.continuationToken());
        assertEquals(List.of("lb-a-3"), second.buckets().stream().map(Bucket::name).toList());
        assertNull(second.continuationToken());
        assertEquals(s3.listBuckets().buckets().stream().map(Bucket::name).toList(), all);
        assertTrue(all.containsAll(names) && all.contains(bucket), all::toString);
        assertEquals("us-east-1", first.buckets().getFirst().bucketRegion());

        assertS3Error(400, "InvalidArgument", () -> s3.listBuckets(b -> b.maxBuckets(0)));
        assertS3Error(400, "InvalidArgument", () -> s3.listBuckets(b -> b.maxBuckets(10_001)));
        assertS3Error(400, "InvalidArgument", () -> s3.listBuckets(b -> b.maxBuckets(1).continuationToken("not a token!")));
    }

    @Test
    void sdkDecodesUrlEncodedListingBackToTheKeys() {
        List<Entry> got = new ArrayList<>();
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).delimiter("/").encodingType(EncodingType.URL))) {
            got.addAll(ListingModel.merge(page.contents().stream().map(S3Object::key).toList(),
                    page.commonPrefixes().stream().map(CommonPrefix::prefix).toList()));
        }
        assertEquals(model.list("", "/", null), got);
    }

    @Test
    void encodingTypeUrlReturnsPercentEncodedKeysOnTheWire() throws Exception {
        String prefix = "sp ace/";
        SignedHttp.Response res = new SignedHttp(cluster).send("GET", "/" + bucket + "?list-type=2&encoding-type=url&prefix="
                + URLEncoder.encode(prefix, StandardCharsets.UTF_8).replace("+", "%20"), Map.of(), new byte[0]);
        assertEquals(200, res.status(), res::text);

        List<String> raw = elements(res.text(), "Key");
        assertFalse(raw.isEmpty());
        for (String key : raw) {
            assertTrue(key.matches("[A-Za-z0-9%+._~*/!'()-]+"), () -> "not URL-encoded: " + key);
        }
        assertEquals(model.list(prefix, null, null).stream().map(Entry::name).toList(),
                raw.stream().map(k -> URLDecoder.decode(k, StandardCharsets.UTF_8)).toList());
        assertEquals(prefix, URLDecoder.decode(elements(res.text(), "Prefix").get(0), StandardCharsets.UTF_8));
    }

    /**
     * S3 lets object a/b and keys under a/b/ coexist, made in either order and by any write;
     * deleting either side leaves the other, and listings put a/b before a/b/ as the model does.
     */
    @Test
    void anObjectAndKeysUnderItsNameCoexistInEitherOrder() {
        String b = cluster.newBucket("twins");
        put(b, "o/a", "object first");
        put(b, "o/a/x", "then under it");
        put(b, "d/a/x", "directory first");
        put(b, "d/a", "then the object");
        put(b, "m/a/", "");
        put(b, "m/a", "beside a marker");
        // copy and multipart complete land beside a directory too
        s3.copyObject(c -> c.sourceBucket(b).sourceKey("o/a").destinationBucket(b).destinationKey("d/a/x/y"));
        s3.copyObject(c -> c.sourceBucket(b).sourceKey("d/a/x/y").destinationBucket(b).destinationKey("d/a/x"));
        String upload = s3.createMultipartUpload(c -> c.bucket(b).key("m/a/y")).uploadId();
        String etag = s3.uploadPart(c -> c.bucket(b).key("m/a/y").uploadId(upload).partNumber(1), RequestBody.fromString("part")).eTag();
        put(b, "m/a/y/z", "under the upload's key");
        s3.completeMultipartUpload(c -> c.bucket(b).key("m/a/y").uploadId(upload)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        // a conditional create sees no object at a key that is only a directory
        assertS3Error(412, "PreconditionFailed",
                () -> s3.putObject(r -> r.bucket(b).key("o/a").ifNoneMatch("*"), RequestBody.fromString("again")));
        s3.putObject(r -> r.bucket(b).key("o/a/x/deeper").ifNoneMatch("*"), RequestBody.fromString("deeper"));
        assertS3Error(412, "PreconditionFailed",
                () -> s3.putObject(r -> r.bucket(b).key("o/a/x").ifNoneMatch("*"), RequestBody.fromString("again")));

        List<String> keys = List.of("d/a", "d/a/x", "d/a/x/y", "m/a", "m/a/", "m/a/y", "m/a/y/z", "o/a", "o/a/x", "o/a/x/deeper");
        assertEquals(new ListingModel(keys).list("", null, null), listAll(b, "", null, 1));
        for (String prefix : List.of("", "d/", "d/a", "m/a/", "o/a/")) {
            assertEquals(new ListingModel(keys).list(prefix, "/", null), listAll(b, prefix, "/", 1), "prefix " + prefix);
        }
        assertEquals(List.of(new Entry("o/a", false), new Entry("o/a/", true)), listAll(b, "o/", "/", 1000));
        assertEquals("then the object", get(b, "d/a"));
        assertEquals("object first", get(b, "d/a/x"));
        assertEquals("part", get(b, "m/a/y"));
        assertEquals(0L, s3.headObject(r -> r.bucket(b).key("m/a/")).contentLength());
        s3.putObjectTagging(r -> r.bucket(b).key("o/a").tagging(t -> t.tagSet(tag -> tag.key("side").value("object"))));
        assertEquals("object", s3.getObjectTagging(r -> r.bucket(b).key("o/a")).tagSet().get(0).value());

        // deleting the object keeps the directory; deleting the last key under a directory keeps the object
        s3.deleteObject(r -> r.bucket(b).key("o/a"));
        assertS3Error(404, "NoSuchKey", () -> s3.getObject(r -> r.bucket(b).key("o/a")));
        assertEquals(List.of(new Entry("o/a/", true)), listAll(b, "o/", "/", 1000));
        s3.deleteObject(r -> r.bucket(b).key("d/a/x/y"));
        s3.deleteObject(r -> r.bucket(b).key("d/a/x"));
        assertEquals(List.of(new Entry("d/a", false)), listAll(b, "d/", "/", 1000));
        assertEquals("then the object", get(b, "d/a"));
        s3.deleteObject(r -> r.bucket(b).key("m/a/"));
        assertEquals(List.of(new Entry("m/a", false), new Entry("m/a/", true)), listAll(b, "m/", "/", 1000));
        s3.deleteObject(r -> r.bucket(b).key("m/a"));
        assertEquals(List.of(new Entry("m/a/y", false), new Entry("m/a/y/z", false)), listAll(b, "m/", null, 1));
    }

    /** In a versioned bucket, versions and delete markers of a/b come and go while a/b/... stays, and are listed in S3's order. */
    @Test
    void versionsOfAnObjectBesideADirectoryOfItsName() {
        String b = cluster.newBucket("twin-versions");
        s3.putBucketVersioning(r -> r.bucket(b).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        String v1 = put(b, "a/b", "v1");
        String under = put(b, "a/b/c", "under");
        String v2 = put(b, "a/b", "v2");
        String marker = s3.deleteObject(r -> r.bucket(b).key("a/b")).versionId();
        assertS3Error(404, "NoSuchKey", () -> s3.getObject(r -> r.bucket(b).key("a/b")));
        assertEquals(List.of(new Entry("a/b/", true)), listAll(b, "a/", "/", 1000));

        ListObjectVersionsResponse all = s3.listObjectVersions(r -> r.bucket(b).prefix("a/"));
        assertEquals(List.of("a/b " + marker, "a/b " + v2, "a/b " + v1, "a/b/c " + under), versionList(all));
        assertEquals(List.of("a/b", "a/b", "a/b/c"), all.versions().stream().map(v -> v.key()).toList());
        ListObjectVersionsResponse rolled = s3.listObjectVersions(r -> r.bucket(b).prefix("a/").delimiter("/"));
        assertEquals(List.of("a/b " + marker, "a/b " + v2, "a/b " + v1), versionList(rolled));
        assertEquals(List.of("a/b/"), rolled.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        // one entry a page, across the pair
        List<String> paged = new ArrayList<>();
        String keyMarker = null;
        String versionMarker = null;
        for (int page = 0; page < 10; page++) {
            String k = keyMarker;
            String v = versionMarker;
            ListObjectVersionsResponse r = s3.listObjectVersions(q -> q.bucket(b).prefix("a/").maxKeys(1).keyMarker(k).versionIdMarker(v));
            paged.addAll(versionList(r));
            if (!r.isTruncated()) {
                break;
            }
            keyMarker = r.nextKeyMarker();
            versionMarker = r.nextVersionIdMarker();
        }
        assertEquals(List.of("a/b " + marker, "a/b " + v2, "a/b " + v1, "a/b/c " + under), paged);

        // removing the delete marker brings v2 back; the key under it never moved
        s3.deleteObject(r -> r.bucket(b).key("a/b").versionId(marker));
        assertEquals("v2", get(b, "a/b"));
        assertEquals("v1", s3.getObjectAsBytes(r -> r.bucket(b).key("a/b").versionId(v1)).asUtf8String());
        assertEquals("under", get(b, "a/b/c"));
    }

    /** A page's versions and delete markers as "key versionId"; with one entry a page, their order is the listing's. */
    private static List<String> versionList(ListObjectVersionsResponse r) {
        List<String> out = new ArrayList<>();
        r.deleteMarkers().forEach(m -> out.add(m.key() + " " + m.versionId()));
        r.versions().forEach(v -> out.add(v.key() + " " + v.versionId()));
        return out;
    }

    private static String put(String bucket, String key, String body) {
        return s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(body)).versionId();
    }

    private static String get(String bucket, String key) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String();
    }

    /** Every entry of a listing of {@code bucket}, paged by {@code maxKeys} with continuation tokens. */
    private static List<Entry> listAll(String bucket, String prefix, String delimiter, int maxKeys) {
        List<Entry> all = new ArrayList<>();
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix).delimiter(delimiter).maxKeys(maxKeys))) {
            all.addAll(ListingModel.merge(page.contents().stream().map(S3Object::key).toList(),
                    page.commonPrefixes().stream().map(CommonPrefix::prefix).toList()));
        }
        return all;
    }

    private static List<Entry> listV2(String prefix, String delimiter, int maxKeys, String startAfter) {
        List<Entry> all = new ArrayList<>();
        String token = null;
        for (int page = 0; page <= KEY_COUNT / maxKeys + 1; page++) {
            String continuation = token;
            ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).delimiter(delimiter)
                    .maxKeys(maxKeys).startAfter(startAfter).continuationToken(continuation));
            List<Entry> entries = ListingModel.merge(r.contents().stream().map(S3Object::key).toList(),
                    r.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
            assertTrue(entries.size() <= maxKeys, () -> "page of " + entries.size() + " > max-keys " + maxKeys);
            assertEquals(entries.size(), r.keyCount(), "KeyCount");
            assertEquals(maxKeys, r.maxKeys(), "MaxKeys");
            all.addAll(entries);
            if (!r.isTruncated()) {
                return all;
            }
            assertFalse(entries.isEmpty(), "a truncated page must list something");
            token = r.nextContinuationToken();
            assertNotNull(token, "truncated without NextContinuationToken");
        }
        return fail("more pages than " + KEY_COUNT + " keys allow; listed so far: " + all.size());
    }

    /** Pages the way SDKs do: NextMarker when given (it must be, with a delimiter), else the last key. */
    private static List<Entry> listV1(String prefix, String delimiter, int maxKeys, String firstMarker) {
        List<Entry> all = new ArrayList<>();
        String marker = firstMarker;
        for (int page = 0; page <= KEY_COUNT / maxKeys + 1; page++) {
            String m = marker;
            ListObjectsResponse r = s3.listObjects(b -> b.bucket(bucket).prefix(prefix).delimiter(delimiter)
                    .maxKeys(maxKeys).marker(m));
            List<Entry> entries = ListingModel.merge(r.contents().stream().map(S3Object::key).toList(),
                    r.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
            assertTrue(entries.size() <= maxKeys, () -> "page of " + entries.size() + " > max-keys " + maxKeys);
            all.addAll(entries);
            if (!r.isTruncated()) {
                return all;
            }
            assertFalse(entries.isEmpty(), "a truncated page must list something");
            String last = entries.get(entries.size() - 1).name();
            if (delimiter != null) {
                assertEquals(last, r.nextMarker(), "NextMarker is the last key or common prefix of the page");
            }
            marker = r.nextMarker() != null ? r.nextMarker() : last;
        }
        return fail("more pages than " + KEY_COUNT + " keys allow; listed so far: " + all.size());
    }

    /**
     * {@link #FIXED_KEYS} plus pseudo-random paths of directory and file names up to
     * {@link #KEY_COUNT}; an object may be named like another key's directory, as in S3.
     */
    private static Set<String> keySet() {
        Set<String> keys = new LinkedHashSet<>(FIXED_KEYS);
        Random random = new Random(42);
        for (int i = 0; i < 100_000 && keys.size() < KEY_COUNT; i++) {
            keys.add(randomKey(random));
        }
        assertEquals(KEY_COUNT, keys.size());
        return keys;
    }

    private static String randomKey(Random random) {
        StringBuilder key = new StringBuilder();
        for (int depth = random.nextInt(4); depth > 0; depth--) {
            key.append(DIRS.get(random.nextInt(DIRS.size()))).append('/');
        }
        key.append(FILES.get(random.nextInt(FILES.size())));
        if (random.nextInt(3) > 0) {
            key.append('-').append(random.nextInt(40));
        }
        return key.toString();
    }

    /** Objects hold their own key, so sizes vary; markers are empty as S3 tools make them. */
    private static byte[] body(String key) {
        return key.endsWith("/") ? new byte[0] : key.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> elements(String xml, String name) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        while (m.find()) {
            out.add(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                    .replace("&amp;", "&"));
        }
        return out;
    }
}
