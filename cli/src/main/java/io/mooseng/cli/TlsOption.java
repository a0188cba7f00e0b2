package io.mooseng.cli;

import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.TlsMode;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;

/** {@code --tls MODE --tls-dir DIR}: this process's certificate for the cluster's internal ports (see {@link TlsMode}). */
final class TlsOption {
    @Option(names = "--tls", defaultValue = "${env:MOOSENG_TLS:-auto}", paramLabel = "MODE",
            description = "TLS on the internal ports: auto (with a certificate in the TLS folder, or when every address is "
                    + "loopback without), on, off (default: ${DEFAULT-VALUE}; env MOOSENG_TLS).")
    String mode;

    @Option(names = "--tls-dir", defaultValue = "${env:MOOSENG_TLS_DIR}", paramLabel = "DIR",
            description = "Folder of this process's certificate (ca.pem, node.pem, node.key from `mooseng admin cert issue`); "
                    + "default: DATA/tls for processes with --data (env MOOSENG_TLS_DIR).")
    Path dir;

    /**
     * @param defaultDir the folder when --tls-dir is not given (a data folder's tls/), or null
     * @param addresses  what the process listens on and calls
     * @return the identity, or null for plaintext
     */
    ClusterTls resolve(Path defaultDir, Collection<String> addresses) throws IOException {
        return TlsMode.parse(mode).resolve(dir != null ? dir : defaultDir, addresses);
    }
}
