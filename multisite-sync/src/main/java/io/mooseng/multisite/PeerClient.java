package io.mooseng.multisite;

import io.mooseng.core.model.SyncDigest;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncLogPage;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.Zonegroup;
import io.mooseng.core.security.PeerTrust;
import io.mooseng.s3.auth.Presigner;
import io.mooseng.s3.handler.SyncHandler;
import io.mooseng.s3.handler.SyncWire;
import io.vertx.core.json.JsonObject;

import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One peer zone as its gateways' sync endpoint shows it (see {@link SyncHandler}): requests
 * presigned with the zonegroup's sync key, sent to the first of the zone's endpoints that
 * answers (the last one that worked is tried first). Blocking: callers run on virtual threads.
 */
final class PeerClient {
    private static final int SIGNED_SECONDS = 300;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final Zonegroup.Zone zone;
    private final String accessKey;
    private final String secretKey;
    private volatile int preferred;

    PeerClient(HttpClient http, Zonegroup.Zone zone, String accessKey, String secretKey) {
        this.http = http;
        this.zone = zone;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * A client for peers' gateways. HTTP/1.1 only: Java's client would otherwise offer an h2c
     * upgrade, and an upgraded request carries its host as :authority, not the Host header signed.
     */
    static HttpClient newHttpClient() {
        return newHttpClient(PeerTrust.trustManager());
    }

    static HttpClient newHttpClient(X509TrustManager trust) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .sslContext(PeerTrust.context(trust)).build();
    }

    String name() {
        return zone.name();
    }

    SyncState state() throws IOException {
        return SyncWire.state(json("GET", null, null, Map.of("mooseng-sync", "state"), null));
    }

    /** The peer's state, and how far it applied zone {@code reader}'s log (empty before its full sync). */
    record PeerState(SyncState state, long[] cursorsOfReader) {
    }

    PeerState state(String reader) throws IOException {
        JsonObject j = json("GET", null, null, Map.of("mooseng-sync", "state", "for", reader), null);
        long[] cursors = j.getJsonArray("cursors").stream().mapToLong(v -> ((Number) v).longValue()).toArray();
        return new PeerState(SyncWire.state(j), cursors);
    }

    /** Offers the peer this zonegroup. */
    SyncState offer(Zonegroup group) throws IOException {
        byte[] body = SyncWire.zonegroup(group).toBuffer().getBytes();
        return SyncWire.state(json("PUT", null, null, Map.of("mooseng-sync", "zonegroup", "zone", zone.name()), body));
    }

    long[] heads() throws IOException {
        return heads(Map.of("mooseng-sync", "heads"));
    }

    /** The peer's shard heads, and up to {@code limit} entries of every shard past this zone's cursors. */
    record News(long[] heads, Map<Integer, SyncLogPage> pages) {
    }

    /**
     * What the peer has past {@code cursors}: at once if anything, else once something comes or
     * after {@code waitMillis} (a long poll); entries the peer's sync rules keep from zone
     * {@code reader} come marked as seen by it.
     */
    News news(String reader, long[] cursors, long waitMillis, int limit) throws IOException {
        JsonObject j = json("GET", null, null, Map.of("mooseng-sync", "heads", "for", reader, "wait-ms", Long.toString(waitMillis), "pages",
                Integer.toString(limit), "known", java.util.Arrays.stream(cursors).mapToObj(Long::toString)
                        .collect(java.util.stream.Collectors.joining(","))), null);
        Map<Integer, SyncLogPage> pages = new java.util.HashMap<>();
        JsonObject byShard = j.getJsonObject("pages", new JsonObject());
        byShard.fieldNames().forEach(s -> pages.put(Integer.parseInt(s), SyncWire.page(byShard.getJsonObject(s))));
        return new News(headsOf(j), pages);
    }

    private long[] heads(Map<String, String> params) throws IOException {
        return headsOf(json("GET", null, null, params, null));
    }

    private static long[] headsOf(JsonObject j) {
        return j.getJsonArray("heads").stream().mapToLong(v -> ((Number) v).longValue()).toArray();
    }

    /** A page of the peer's log; with a {@code reader} zone, entries its sync rules keep from that zone come marked as seen by it. */
    SyncLogPage log(String reader, int shard, long after, int limit) throws IOException {
        Map<String, String> params = new java.util.HashMap<>(Map.of("mooseng-sync", "log", "shard", Integer.toString(shard),
                "after", Long.toString(after), "limit", Integer.toString(limit)));
        if (reader != null) {
            params.put("for", reader);
        }
        return SyncWire.page(json("GET", null, null, params, null));
    }

    List<SyncEntry> buckets() throws IOException {
        return SyncWire.entries(json("GET", null, null, Map.of("mooseng-sync", "buckets"), null).getJsonArray("entries"));
    }

    /** Every user and key of the peer (keys with their secrets in clear where the connection allows), for a full sync. */
    List<SyncEntry> identities() throws IOException {
        return SyncWire.entries(json("GET", null, null, Map.of("mooseng-sync", "identities"), null).getJsonArray("entries"));
    }

    /** Why an access key may come without its secret from this peer: its gateways send secrets over https or loopback only. */
    String whySecretsMayNotCome() {
        return zone.endpoints().stream().filter(PeerClient::plainHttpAcrossNetwork).findFirst()
                .map(e -> "zone " + zone.name() + " sends access key secrets over https or loopback only, and its endpoint " + e
                        + " is plain http (give it an https endpoint)")
                .orElse("zone " + zone.name() + " sent no secret for it (its gateway holds no cluster key, or the key changed since: "
                        + "a later change follows)");
    }

    private static boolean plainHttpAcrossNetwork(String endpoint) {
        URI uri = URI.create(endpoint);
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            return false;
        }
        try {
            return !java.net.InetAddress.getByName(uri.getHost()).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return true;
        }
    }

    List<SyncEntry> listing(String bucket, String after, int limit) throws IOException {
        Map<String, String> params = after == null
                ? Map.of("mooseng-sync", "listing", "bucket", bucket, "limit", Integer.toString(limit))
                : Map.of("mooseng-sync", "listing", "bucket", bucket, "after", after, "limit", Integer.toString(limit));
        return SyncWire.entries(json("GET", null, null, params, null).getJsonArray("entries"));
    }

    /** A page of the peer's anti-entropy digest of {@code bucket} over {@code range}, as compared with zone {@code reader}. */
    SyncDigest digest(String reader, String bucket, String range, String after, int limit, boolean withEntries) throws IOException {
        Map<String, String> params = new java.util.HashMap<>(Map.of("mooseng-sync", "digest", "bucket", bucket, "range", range, "for", reader,
                "limit", Integer.toString(limit)));
        if (after != null) {
            params.put("after", after);
        }
        if (withEntries) {
            params.put("entries", "1");
        }
        return SyncWire.digest(json("GET", null, null, params, null));
    }

    /** A version's bytes, decrypted by the peer's gateway; {@code encrypted} when the peer stores it encrypted (SSE-S3). */
    record Content(InputStream body, boolean encrypted) {
    }

    /**
     * The bytes of the entry's version, or empty when the peer no longer holds that version
     * (replaced or deleted since: a later entry of the same key follows in the same shard).
     */
    Optional<Content> open(SyncEntry entry) throws IOException {
        HttpResponse<InputStream> r = send("GET", entry.bucket(), entry.key(),
                Map.of(SyncHandler.STAMP_PARAM, entry.stamp().toString()), null, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() == 200) {
            return Optional.of(new Content(r.body(), r.headers().firstValue("x-amz-server-side-encryption").isPresent()));
        }
        String error = new String(r.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (r.statusCode() == 412 || r.statusCode() == 404 && error.contains("NoSuchKey")) {
            return Optional.empty();
        }
        throw new IOException("zone " + zone.name() + " answered " + r.statusCode() + " to GET " + entry.bucket() + "/" + entry.key()
                + ": " + error);
    }

    private JsonObject json(String method, String bucket, String key, Map<String, String> params, byte[] body) throws IOException {
        HttpResponse<byte[]> r = send(method, bucket, key, params, body, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("zone " + zone.name() + " answered " + r.statusCode() + " to " + params.get("mooseng-sync") + ": "
                    + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return new JsonObject(io.vertx.core.buffer.Buffer.buffer(r.body()));
    }

    private <T> HttpResponse<T> send(String method, String bucket, String key, Map<String, String> params, byte[] body,
                                     HttpResponse.BodyHandler<T> handler) throws IOException {
        List<String> endpoints = zone.endpoints();
        if (endpoints.isEmpty()) {
            throw new IOException("zone " + zone.name() + " lists no endpoint");
        }
        IOException last = null;
        for (int i = 0; i < endpoints.size(); i++) {
            int at = (preferred + i) % endpoints.size();
            Presigner signer = new Presigner(URI.create(endpoints.get(at)), accessKey, secretKey, "us-east-1");
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(signer.presign(method, bucket, key, params, SIGNED_SECONDS)))
                    .timeout(TIMEOUT)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            try {
                HttpResponse<T> r = http.send(request.build(), handler);
                preferred = at;
                return r;
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException("no endpoint of zone " + zone.name() + " answered: " + last, last);
    }
}
