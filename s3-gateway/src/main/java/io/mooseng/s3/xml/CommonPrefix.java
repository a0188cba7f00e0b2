package io.mooseng.s3.xml;

/** A rolled-up group of keys in a listing with a delimiter. */
public record CommonPrefix(String prefix) {
}
