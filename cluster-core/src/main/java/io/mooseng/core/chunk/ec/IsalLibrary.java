package io.mooseng.core.chunk.ec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The two functions of Intel's ISA-L ({@code libisal.so.2}) the {@link CodingKernel#ISAL}
 * kernel calls, bound once per process through FFM. Loading is tried once, at first use;
 * {@link #failure()} says why it did not work.
 */
final class IsalLibrary {
    private static final String SONAME = "libisal.so.2";
    /** libtool names ISA-L 2.30's file libisal.so.2.0.30: the major, then the minor version last. */
    private static final Pattern FILE_VERSION = Pattern.compile("libisal\\.so\\.(\\d+)\\.\\d+\\.(\\d+)");

    private static final IsalLibrary LOADED;
    private static final String FAILURE;

    static {
        IsalLibrary loaded = null;
        String failure = null;
        if (!IsalLibrary.class.getModule().isNativeAccessEnabled()) {
            failure = "native access is not enabled (--enable-native-access=ALL-UNNAMED)";
        } else {
            try {
                loaded = new IsalLibrary(SymbolLookup.libraryLookup(SONAME, Arena.global()));
            } catch (IllegalArgumentException | NoSuchElementException e) {
                failure = SONAME + " did not load (Debian package libisal2): " + e.getMessage();
            }
        }
        LOADED = loaded;
        FAILURE = failure;
    }

    /** void ec_init_tables(int k, int rows, unsigned char *a, unsigned char *gftbls) */
    private final MethodHandle initTables;
    /** void ec_encode_data(int len, int k, int rows, unsigned char *gftbls, unsigned char **data, unsigned char **coding) */
    private final MethodHandle encodeData;
    private final String displayName;

    private IsalLibrary(SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        this.initTables = linker.downcallHandle(lookup.findOrThrow("ec_init_tables"),
                FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        this.encodeData = linker.downcallHandle(lookup.findOrThrow("ec_encode_data"),
                FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        this.displayName = "isa-l " + loadedVersion().orElse("(" + SONAME + ")");
    }

    /** The library; only when {@link #failure()} is empty. */
    static IsalLibrary get() {
        if (LOADED == null) {
            throw new IllegalStateException(FAILURE);
        }
        return LOADED;
    }

    /** Why ISA-L cannot be used in this JVM, or empty if it can. */
    static Optional<String> failure() {
        return Optional.ofNullable(FAILURE);
    }

    /** "isa-l 2.30", or "isa-l (libisal.so.2)" where the version cannot be read. */
    String displayName() {
        return displayName;
    }

    /**
     * Expands a rows x k coefficient matrix (row-major bytes) into the 32 * k * rows bytes of
     * lookup tables that {@link #encodeData} takes.
     */
    void initTables(int k, int rows, MemorySegment coefficients, MemorySegment tables) {
        try {
            initTables.invokeExact(k, rows, coefficients, tables);
        } catch (Throwable t) {
            throw new IllegalStateException("ec_init_tables failed", t);
        }
    }

    /** Writes len bytes at each of the rows output pointers from the k input pointers, by the tables. */
    void encodeData(int len, int k, int rows, MemorySegment tables, MemorySegment inputPointers, MemorySegment outputPointers) {
        try {
            encodeData.invokeExact(len, k, rows, tables, inputPointers, outputPointers);
        } catch (Throwable t) {
            throw new IllegalStateException("ec_encode_data failed", t);
        }
    }

    /**
     * The version of the mapped file, from its name: ISA-L exports no version function, and
     * the soname alone (libisal.so.2) covers every 2.x release.
     */
    private static Optional<String> loadedVersion() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.map(FILE_VERSION::matcher).filter(Matcher::find).findFirst()
                    .map(m -> m.group(1) + "." + m.group(2));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
