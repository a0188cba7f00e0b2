package io.mooseng.s3compat;

import java.security.SecureRandom;
import java.util.HexFormat;

/** An access key pair for a server under test. */
public record S3Keys(String accessKey, String secretKey) {

    /** Fresh keys, so no test passes by accident against a default key pair. */
    public static S3Keys random() {
        SecureRandom rnd = new SecureRandom();
        byte[] a = new byte[8];
        byte[] s = new byte[20];
        rnd.nextBytes(a);
        rnd.nextBytes(s);
        return new S3Keys("MNGTEST" + HexFormat.of().withUpperCase().formatHex(a), HexFormat.of().formatHex(s));
    }
}
