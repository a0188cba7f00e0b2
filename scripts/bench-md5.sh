#!/bin/bash
# MD5 per core, as the ETag needs it: the JDK's MessageDigest (intrinsic) over 64 MiB in 1 MiB
# updates, 8 rounds, beside OpenSSL's C on the same core.
#   scripts/bench-md5.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/jdk.sh"
SRC="$(mktemp -d)"
trap 'rm -rf "$SRC"' EXIT
cat > "$SRC/Md5Speed.java" <<'JAVA'
import java.security.MessageDigest;

public class Md5Speed {
    public static void main(String[] args) throws Exception {
        byte[] buf = new byte[64 << 20];
        new java.util.Random(1).nextBytes(buf);
        for (int round = 0; round < 8; round++) {
            MessageDigest md = MessageDigest.getInstance("MD5");
            long t = System.nanoTime();
            for (int off = 0; off < buf.length; off += 1 << 20) {
                md.update(buf, off, 1 << 20);
            }
            md.digest();
            System.out.printf("java MD5, 64 MiB: %.0f MiB/s%n", 64 / ((System.nanoTime() - t) / 1e9));
        }
    }
}
JAVA
"$MOOSENG_JDK/bin/java" "$SRC/Md5Speed.java"
if command -v openssl > /dev/null; then
  openssl speed -evp md5 -bytes 1048576 -seconds 2 2>/dev/null | awk '/^md5/ {printf "openssl MD5, 1 MiB blocks: %.0f MiB/s\n", $2 * 1000 / 1048576}'
fi
