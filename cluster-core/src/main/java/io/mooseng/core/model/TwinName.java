package io.mooseng.core.model;

/**
 * How a mount names an object that shares its name with a directory. S3 lets {@code a/b} and
 * {@code a/b/...} coexist; a POSIX directory holds one entry per name, so the directory keeps
 * the name {@code b} and the object shows beside it as {@code b} + {@value #SUFFIX}, its twin
 * name. A real entry of that name wins: the twin is then not shown.
 */
public final class TwinName {
    public static final String SUFFIX = ".~object";

    private TwinName() {
    }

    /** The twin name of the object {@code name}. */
    public static String of(String name) {
        return name + SUFFIX;
    }

    /** The object name {@code name} is the twin name of, or null when it has the form of none. */
    public static String objectName(String name) {
        return name.length() > SUFFIX.length() && name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : null;
    }
}
