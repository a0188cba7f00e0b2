package io.mooseng.s3compat;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests the SDK's S3 client will not send (malformed XML, keys it would normalise, raw
 * query strings), signed with the SDK's own SigV4 signer and sent by {@code java.net.http},
 * which leaves paths as given.
 */
final class SignedHttp {
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");

    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** No answer: the server closed the connection or said nothing within the timeout. */
        static Response none(IOException why) {
            return new Response(-1, Map.of(), ("(no response: " + why + ")").getBytes(StandardCharsets.UTF_8));
        }

        /** The S3 error code of the XML error body, or null. */
        String errorCode() {
            Matcher m = CODE.matcher(text());
            return m.find() ? m.group(1) : null;
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final S3Server server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    SignedHttp(S3Server server) {
        this.server = server;
    }

    /**
     * Signs (payload hashed, as S3 expects for a small body) and sends.
     *
     * @param rawPathAndQuery already URL-encoded, e.g. {@code /bucket?delete} or {@code /b/a%00b}
     */
    Response send(String method, String rawPathAndQuery, Map<String, String> headers, byte[] body)
            throws InterruptedException {
        SdkHttpRequest signed = sign(method, rawPathAndQuery, headers, body);
        HttpRequest.Builder req = HttpRequest.newBuilder(signed.getUri()).timeout(TIMEOUT)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        signed.forEachHeader((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase())) {
                values.forEach(v -> req.header(name, v));
            }
        });
        return exchange(req.build());
    }

    /**
     * Signs as {@link #send} does and renders the request as raw bytes ({@link RawHttp#request}):
     * for what java.net.http will not send, such as UTF-8 header values or a chunked body.
     */
    byte[] signedRaw(String method, String rawPathAndQuery, Map<String, String> headers, byte[] body, int chunkSize) {
        SdkHttpRequest signed = sign(method, rawPathAndQuery, headers, body);
        String query = signed.getUri().getRawQuery();
        return RawHttp.request(method, signed.getUri().getRawPath() + (query == null ? "" : "?" + query), server.port(),
                signed.headers(), body, chunkSize);
    }

    /**
     * Sends {@code body} aws-chunked with its checksum in a trailer, as the SDK's signer encodes it
     * (over HTTP it signs each chunk and the trailer: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER).
     */
    Response sendWithTrailer(String method, String rawPath, byte[] body, ChecksumAlgorithm checksum) throws InterruptedException {
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(identity())
                .request(request(method, rawPath).putHeader("Content-Length", Integer.toString(body.length)).build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, S3Clients.REGION.id())
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
                .putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, checksum));
        byte[] encoded;
        try (var in = signed.payload().orElseThrow().newStream()) {
            encoded = in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(signed.request().getUri()).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(encoded));
        signed.request().forEachHeader((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase())) {
                values.forEach(v -> req.header(name, v));
            }
        });
        return exchange(req.build());
    }

    /**
     * Sends {@code body} aws-chunked in one chunk, unsigned, with a trailing header {@code trailer}
     * (STREAMING-UNSIGNED-PAYLOAD-TRAILER, as SDKs send over HTTPS), whatever its value.
     */
    Response sendUnsignedTrailer(String method, String rawPath, byte[] body, String trailer, String value) throws InterruptedException {
        byte[] head = (Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n0\r\n" + trailer + ":" + value + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] encoded = new byte[head.length + body.length + tail.length];
        System.arraycopy(head, 0, encoded, 0, head.length);
        System.arraycopy(body, 0, encoded, head.length, body.length);
        System.arraycopy(tail, 0, encoded, head.length + body.length, tail.length);
        SdkHttpRequest.Builder request = request(method, rawPath)
                .putHeader("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                .putHeader("Content-Encoding", "aws-chunked")
                .putHeader("x-amz-decoded-content-length", Integer.toString(body.length))
                .putHeader("x-amz-trailer", trailer);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(identity())
                .request(request.build())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, S3Clients.REGION.id())
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)).request();
        HttpRequest.Builder req = HttpRequest.newBuilder(signed.getUri()).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(encoded));
        signed.forEachHeader((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase())) {
                values.forEach(v -> req.header(name, v));
            }
        });
        return exchange(req.build());
    }

    /** A plain unsigned-client request, e.g. to follow a presigned URL. */
    Response sendUnsigned(String method, URI uri, byte[] body) throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return exchange(req);
    }

    /** The response, or {@link Response#none} when there was none: tests assert on it rather than fail in I/O. */
    private Response exchange(HttpRequest request) throws InterruptedException {
        try {
            HttpResponse<byte[]> res = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(res.statusCode(), res.headers().map(), res.body());
        } catch (IOException e) {
            return Response.none(e);
        }
    }

    SdkHttpRequest sign(String method, String rawPathAndQuery, Map<String, String> headers, byte[] body) {
        SdkHttpRequest.Builder request = request(method, rawPathAndQuery);
        headers.forEach(request::putHeader);
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(identity())
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, S3Clients.REGION.id())
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)).request();
    }

    /**
     * A presigned URL as if signed at {@code signedAt}: lets a test hold an already expired URL
     * without waiting for one to expire.
     */
    URI presign(String method, String rawPath, Instant signedAt, Duration expiry) {
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(identity())
                .request(request(method, rawPath).build())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, S3Clients.REGION.id())
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expiry)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))).request().getUri();
    }

    private SdkHttpRequest.Builder request(String method, String rawPathAndQuery) {
        return SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method))
                .uri(URI.create(server.endpoint() + rawPathAndQuery));
    }

    private AwsCredentialsIdentity identity() {
        return AwsCredentialsIdentity.create(server.keys().accessKey(), server.keys().secretKey());
    }
}
