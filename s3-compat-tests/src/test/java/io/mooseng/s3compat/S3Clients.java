package io.mooseng.s3compat;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/**
 * aws-sdk-java-v2 clients as an application would configure them for an S3-compatible
 * endpoint: path-style, region us-east-1, static keys; HTTP client, checksums, signing and
 * retries left at the SDK's defaults so the server sees what real clients send.
 */
public final class S3Clients {
    static final Region REGION = Region.US_EAST_1;

    private S3Clients() {
    }

    public static S3Client sync(URI endpoint, S3Keys keys) {
        return syncBuilder(endpoint, keys).build();
    }

    /** A sync client that signs for {@code region}. */
    static S3Client sync(URI endpoint, S3Keys keys, Region region) {
        return syncBuilder(endpoint, keys).region(region).build();
    }

    /**
     * A sync client that never retries: for uploads cut off on purpose, where a retry
     * against a restarted server could complete what the test wants to see interrupted.
     */
    static S3Client syncWithoutRetries(URI endpoint, S3Keys keys) {
        return syncBuilder(endpoint, keys)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** A sync client with the SDK's standard retries (throttling and 5xx with backoff), up to {@code attempts} tries. */
    static S3Client syncWithRetries(URI endpoint, S3Keys keys, int attempts) {
        return syncBuilder(endpoint, keys)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(attempts).build()))
                .build();
    }

    /** A sync client with retries (as {@link #syncWithRetries(URI, S3Keys, int)}) for an HTTPS endpoint whose certificate {@code ca} issued. */
    static S3Client syncWithRetries(URI endpoint, S3Keys keys, int attempts, X509Certificate ca) {
        return syncBuilder(endpoint, keys)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(attempts).build()))
                .httpClientBuilder(ApacheHttpClient.builder().tlsTrustManagersProvider(() -> trusting(ca)))
                .build();
    }

    /** Trust managers that accept what {@code ca} issued (and nothing else). */
    static TrustManager[] trusting(X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(store);
            return f.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sync client signing with any credentials (temporary ones with their session token). */
    static S3Client sync(URI endpoint, AwsCredentials credentials) {
        return syncBuilder(endpoint, StaticCredentialsProvider.create(credentials)).build();
    }

    private static S3ClientBuilder syncBuilder(URI endpoint, S3Keys keys) {
        return syncBuilder(endpoint, credentials(keys));
    }

    private static S3ClientBuilder syncBuilder(URI endpoint, AwsCredentialsProvider credentials) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(REGION)
                .forcePathStyle(true)
                .credentialsProvider(credentials);
    }

    static S3AsyncClient asyncNetty(URI endpoint, S3Keys keys) {
        return S3AsyncClient.builder()
                .endpointOverride(endpoint)
                .region(REGION)
                .forcePathStyle(true)
                .credentialsProvider(credentials(keys))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build();
    }

    static S3Presigner presigner(URI endpoint, S3Keys keys) {
        return presigner(endpoint, credentials(keys));
    }

    static S3Presigner presigner(URI endpoint, AwsCredentialsProvider credentials) {
        return S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(REGION)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(credentials)
                .build();
    }

    static StaticCredentialsProvider credentials(S3Keys keys) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(keys.accessKey(), keys.secretKey()));
    }
}
