package io.mooseng.core.model;

import java.util.Optional;

/**
 * Outcome of applying a peer's change.
 *
 * @param applied  false when this zone already had the change or a later one for the key
 *                 (the caller then frees the content it stored for it)
 * @param replaced the version the change replaced, whose blocks the caller may now free
 */
public record RemoteApplied(boolean applied, Optional<ObjectInfo> replaced) {
    public static final RemoteApplied SKIPPED = new RemoteApplied(false, Optional.empty());
}
