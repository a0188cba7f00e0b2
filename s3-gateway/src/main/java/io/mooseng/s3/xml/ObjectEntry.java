package io.mooseng.s3.xml;

/** One {@code <Contents>} of a bucket listing; {@code owner} only when asked for. */
public record ObjectEntry(String key, String lastModified, String eTag, long size, String storageClass, Owner owner) {
}
