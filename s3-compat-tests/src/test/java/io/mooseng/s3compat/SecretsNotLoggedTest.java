package io.mooseng.s3compat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With MooseNG logging at DEBUG (and libraries at INFO) from the cluster's start, signed
 * requests (header, aws-chunked, presigned URLs, Signature Version 2), wrong secrets and
 * tampered signatures leave neither a secret key nor any signature in the log.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecretsNotLoggedTest {
    private static final Pattern SIGNATURE = Pattern.compile("Signature=([0-9a-f]{64})");
    private static final Capture LOG = Capture.attach();

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    /** Every log event of the process, formatted with its arguments and any stack trace's messages. */
    private static final class Capture extends AppenderBase<ILoggingEvent> {
        private final StringBuffer text = new StringBuffer();
        private Level mooseng;
        private Level root;

        static Capture attach() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            Capture capture = new Capture();
            capture.setContext(context);
            capture.start();
            Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            Logger mooseng = context.getLogger("io.mooseng");
            capture.root = root.getLevel();
            capture.mooseng = mooseng.getLevel();
            root.setLevel(Level.INFO);
            mooseng.setLevel(Level.DEBUG);
            root.addAppender(capture);
            return capture;
        }

        @Override
        protected void append(ILoggingEvent event) {
            text.append(event.getLoggerName()).append(' ').append(event.getFormattedMessage()).append('\n');
            for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
            }
        }

        void restore() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(root);
            context.getLogger("io.mooseng").setLevel(mooseng);
        }
    }

    @AfterAll
    static void restoreLogging() {
        LOG.restore();
    }

    /** SSE-C keys (right, wrong, malformed MD5, on PUT, GET, HEAD and a copy) are never in the log either. */
    @Test
    void noCustomerKeyIsEverLogged() {
        String bucket = cluster.newBucket("sse-c-secrets");
        S3Client s3 = cluster.client();
        byte[] raw = new byte[32];
        byte[] other = new byte[32];
        new java.security.SecureRandom().nextBytes(raw);
        new java.security.SecureRandom().nextBytes(other);
        String key = java.util.Base64.getEncoder().encodeToString(raw);
        String md5 = java.util.Base64.getEncoder().encodeToString(TestData.md5(raw));
        String wrong = java.util.Base64.getEncoder().encodeToString(other);
        String wrongMd5 = java.util.Base64.getEncoder().encodeToString(TestData.md5(other));
        s3.putObject(b -> b.bucket(bucket).key("c").sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5),
                RequestBody.fromString("customer data"));
        s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5));
        S3Assertions.assertS3Error(403, "AccessDenied", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(wrong).sseCustomerKeyMD5(wrongMd5)));
        S3Assertions.assertS3Error(400, "InvalidArgument", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(wrong).sseCustomerKeyMD5(md5)));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("c").destinationBucket(bucket).destinationKey("d")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(key).copySourceSSECustomerKeyMD5(md5)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(wrong).sseCustomerKeyMD5(wrongMd5));
        String logged = LOG.text.toString();
        assertTrue(logged.contains("GetObject /" + bucket + "/c 403"), "DEBUG lines were captured");
        for (String secret : List.of(key, wrong, java.util.HexFormat.of().formatHex(raw), java.util.HexFormat.of().formatHex(other))) {
            assertFalse(logged.contains(secret), "a customer key is in the log");
        }
    }

    @Test
    void noSecretAndNoSignatureIsEverLogged() throws Exception {
        String bucket = cluster.newBucket("secrets");
        List<String> signatures = new ArrayList<>();
        SignedHttp http = new SignedHttp(cluster);
        S3Keys wrongKeys = new S3Keys(cluster.keys().accessKey(), "wrong" + cluster.keys().secretKey());
        SignedHttp wrong = new SignedHttp(S3Server.of(cluster.endpoint(), wrongKeys));

        // signed in the Authorization header, payload hashed
        byte[] put = http.signedRaw("PUT", "/" + bucket + "/header", Map.of(), "header".getBytes(StandardCharsets.UTF_8), 0);
        assertEquals(200, exchange(put, signatures).status());
        byte[] get = http.signedRaw("GET", "/" + bucket + "/header", Map.of(), new byte[0], 0);
        assertEquals(200, exchange(get, signatures).status());
        // the SDK's aws-chunked uploads (chunk signatures) and reads
        S3Client s3 = cluster.client();
        s3.putObject(b -> b.bucket(bucket).key("chunked"), RequestBody.fromBytes(TestData.bytes(7, 200_000)));
        s3.getObjectAsBytes(b -> b.bucket(bucket).key("chunked"));
        // the wrong secret, and a valid signature altered
        assertEquals(403, exchange(wrong.signedRaw("GET", "/" + bucket + "/header", Map.of(), new byte[0], 0), signatures).status());
        byte[] altered = http.signedRaw("GET", "/" + bucket + "/header", Map.of(), new byte[0], 0);
        signatures.add(signature(altered));
        String text = new String(altered, StandardCharsets.ISO_8859_1);
        assertEquals(403, RawHttp.exchange(cluster.port(), text.replace(signature(altered), flip(signature(altered)))
                .getBytes(StandardCharsets.ISO_8859_1), false, Duration.ofSeconds(20)).status());
        signatures.add(flip(signature(altered)));
        // presigned URLs: valid, expired, tampered
        URI presigned = http.presign("GET", "/" + bucket + "/header", Instant.now(), Duration.ofMinutes(5));
        URI expired = http.presign("GET", "/" + bucket + "/header", Instant.now().minus(Duration.ofHours(2)), Duration.ofMinutes(5));
        URI tampered = URI.create(presigned.toString().replaceAll("X-Amz-Signature=([0-9a-f])", "X-Amz-Signature=x"));
        for (URI url : List.of(presigned, expired, tampered)) {
            Matcher m = Pattern.compile("X-Amz-Signature=([0-9a-fx]{64})").matcher(url.getRawQuery());
            assertTrue(m.find(), url::toString);
            signatures.add(m.group(1));
        }
        assertEquals(200, http.sendUnsigned("GET", presigned, new byte[0]).status());
        assertEquals(403, http.sendUnsigned("GET", expired, new byte[0]).status());
        assertEquals(403, http.sendUnsigned("GET", tampered, new byte[0]).status());
        // Signature Version 2 with a made-up signature
        String v2Signature = "c2lnbmF0dXJlLXZlcnNpb24tdHdvLWZ1enp5";
        signatures.add(v2Signature);
        String v2 = "GET /" + bucket + "/header HTTP/1.1\r\nHost: 127.0.0.1:" + cluster.port() + "\r\nDate: "
                + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC))
                + "\r\nAuthorization: AWS " + cluster.keys().accessKey() + ":" + v2Signature + "\r\n\r\n";
        assertEquals(403, RawHttp.exchange(cluster.port(), v2.getBytes(StandardCharsets.US_ASCII), false, Duration.ofSeconds(20)).status());

        String logged = LOG.text.toString();
        assertTrue(logged.contains("PutObject /" + bucket + "/header 200"), "DEBUG lines were captured:\n" + logged);
        for (String secret : List.of(cluster.keys().secretKey(), wrongKeys.secretKey())) {
            assertFalse(logged.contains(secret), "a secret key is in the log");
        }
        for (String signature : signatures) {
            assertFalse(logged.contains(signature), () -> "the signature " + signature + " is in the log");
        }
    }

    private RawHttp.Response exchange(byte[] request, List<String> signatures) throws Exception {
        signatures.add(signature(request));
        return RawHttp.exchange(cluster.port(), request, false, Duration.ofSeconds(20));
    }

    private static String signature(byte[] request) {
        Matcher m = SIGNATURE.matcher(new String(request, StandardCharsets.ISO_8859_1));
        assertTrue(m.find(), "a signed request");
        return m.group(1);
    }

    /** The signature with its first hex digit changed. */
    private static String flip(String signature) {
        return (signature.charAt(0) == '0' ? '1' : '0') + signature.substring(1);
    }
}
