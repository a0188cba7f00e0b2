package io.mooseng.core.model;

/** What a rename does to an existing target: rename(2)'s and renameat2(2)'s flags. */
public enum RenameMode {
    /** rename(2): the target, if any, is replaced. */
    REPLACE,
    /** RENAME_NOREPLACE: an existing target fails the rename (ALREADY_EXISTS). */
    NO_REPLACE,
    /** RENAME_EXCHANGE: both names must exist, and swap what they name. */
    EXCHANGE
}
