package io.mooseng.multisite;

import io.mooseng.core.model.Zonegroup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Why a peer's access key arrived without its secret, as a parked change explains it in `admin sync status`. */
class PeerClientTest {
    private static String why(String... endpoints) {
        return new PeerClient(PeerClient.newHttpClient(), new Zonegroup.Zone("far", List.of(endpoints)), "SYNCKEY", "secret")
                .whySecretsMayNotCome();
    }

    @Test
    void aPlainHttpEndpointAcrossANetworkIsNamed() {
        String why = why("https://gw.far:9000", "http://192.0.2.7:9000");
        assertTrue(why.contains("http://192.0.2.7:9000") && why.contains("plain http"), why);
    }

    @Test
    void httpsOrLoopbackEndpointsAreNotBlamed() {
        for (String endpoint : List.of("https://192.0.2.7:9000", "http://127.0.0.1:9000", "http://localhost:9000")) {
            String why = why(endpoint);
            assertFalse(why.contains("plain http"), why);
        }
    }
}
