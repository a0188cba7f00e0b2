package io.mooseng.s3.handler;

import io.mooseng.core.security.PeerTrust;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.TrustOptions;

/** The gateway's HTTP client to other zones' gateways, made on first use, trusting whom {@link PeerTrust} trusts. */
final class PeerHttpClient {
    private volatile HttpClient http;

    HttpClient get(Vertx vertx) {
        HttpClient c = http;
        if (c == null) {
            synchronized (this) {
                if (http == null) {
                    http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setKeepAlive(true)
                            .setTrustOptions(TrustOptions.wrap(PeerTrust.trustManager())));
                }
                c = http;
            }
        }
        return c;
    }
}
