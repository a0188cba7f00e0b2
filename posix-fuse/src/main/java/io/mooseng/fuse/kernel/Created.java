package io.mooseng.fuse.kernel;

/** The answer to an atomic create-and-open: the new name and its open handle. */
public record Created(Entry entry, Opened opened) {
}
