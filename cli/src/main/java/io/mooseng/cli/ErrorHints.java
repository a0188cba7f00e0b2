package io.mooseng.cli;

import io.mooseng.core.error.MooseException;

/** What to do next after the failures an operator meets most, printed under the error line. */
final class ErrorHints {
    private ErrorHints() {
    }

    /** A hint for {@code error}, or null. */
    static String hint(Throwable error) {
        if (!(error instanceof MooseException m)) {
            return null;
        }
        return switch (m.code()) {
            case METADATA_UNAVAILABLE -> "check that the masters in --masters run and are reachable from here; when the cluster"
                    + " runs TLS, give --tls-dir a folder with a certificate of its CA (mooseng admin cert issue --role admin)";
            case PERMISSION_DENIED -> "this process's certificate names a role that may not do this: admin commands need"
                    + " `mooseng admin cert issue --role admin` (README, \"Certificates and TLS inside the cluster\")";
            case NO_SUCH_BUCKET -> "list the buckets with `aws s3 ls` (or `ls` at a mount's root); create one with `aws s3 mb`";
            case INSUFFICIENT_CHUNKSERVERS -> "fewer chunkservers are up than the storage class needs: `mooseng admin status`"
                    + " lists them; start more or choose a smaller class (`mooseng admin class set`)";
            case NO_SPACE -> "the chunkservers are full: `mooseng admin status` shows capacity; add disks or chunkservers";
            default -> null;
        };
    }
}
