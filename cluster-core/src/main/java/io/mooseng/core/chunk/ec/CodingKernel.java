package io.mooseng.core.chunk.ec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The ways to multiply shards by a GF(2^8) matrix, fastest first. All give the same bytes
 * for the same matrix; {@link ErasureCodecs} uses one per process.
 *
 * <p>Only the constants' bodies name the Vector API and FFM classes, and they run only once
 * {@link #unavailability()} found the kernel usable: a JVM started without
 * {@code --add-modules=jdk.incubator.vector} never loads a class that refers to that module.
 */
enum CodingKernel {
    /** ISA-L on memory segments, the Vector API kernel on heap arrays: each where it is fastest. */
    HYBRID {
        @Override
        Optional<String> unavailability() {
            return ISAL.unavailability().or(VECTOR::unavailability);
        }

        @Override
        String displayName() {
            return ISAL.displayName() + " (native memory) + " + VECTOR.displayName() + " (heap)";
        }

        @Override
        CompiledMatrix compile(GfMatrix matrix) {
            return new SplitMatrix(VECTOR.compile(matrix), ISAL.compile(matrix));
        }
    },
    /** ISA-L's assembly loops through FFM: needs libisal.so.2 (Debian package libisal2) and native access. */
    ISAL {
        @Override
        Optional<String> unavailability() {
            return IsalLibrary.failure();
        }

        @Override
        String displayName() {
            return IsalLibrary.get().displayName();
        }

        @Override
        CompiledMatrix compile(GfMatrix matrix) {
            return new IsalMatrix(IsalLibrary.get(), matrix);
        }
    },
    /** Split nibble tables and byte shuffles on the Vector API: needs module jdk.incubator.vector. */
    VECTOR {
        @Override
        Optional<String> unavailability() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return Optional.of("module jdk.incubator.vector is not in the boot layer (--add-modules=jdk.incubator.vector)");
            }
            return NibbleTableMatrix.unsupported();
        }

        @Override
        String displayName() {
            return "java-vector";
        }

        @Override
        CompiledMatrix compile(GfMatrix matrix) {
            return new NibbleTableMatrix(matrix);
        }
    },
    /** Bit-sliced loops over longs: runs everywhere. */
    SCALAR {
        @Override
        Optional<String> unavailability() {
            return Optional.empty();
        }

        @Override
        String displayName() {
            return "java-scalar";
        }

        @Override
        CompiledMatrix compile(GfMatrix matrix) {
            return new BitSlicedMatrix(matrix);
        }
    };

    /** Why this kernel cannot run in this JVM, or empty if it can. */
    abstract Optional<String> unavailability();

    /** What admin status and /metrics show, e.g. "isa-l 2.30", "java-vector" or "java-scalar". */
    abstract String displayName();

    /** The matrix prepared for this kernel; only for an available kernel. */
    abstract CompiledMatrix compile(GfMatrix matrix);

    /** The value of {@link ErasureCodecs#KERNEL_PROPERTY} that forces this kernel. */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kernel a property value forces (hybrid, isal, vector or scalar), or the fastest available
     * one when the value is null or blank.
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws IllegalStateException if the forced kernel cannot run here
     */
    static CodingKernel choose(String forced) {
        if (forced == null || forced.isBlank()) {
            return Arrays.stream(values()).filter(k -> k.unavailability().isEmpty()).findFirst().orElseThrow();
        }
        CodingKernel kernel = Arrays.stream(values()).filter(k -> k.key().equals(forced.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(ErasureCodecs.KERNEL_PROPERTY + "=" + forced
                        + ": expected one of hybrid, isal, vector, scalar"));
        kernel.unavailability().ifPresent(why -> {
            throw new IllegalStateException(ErasureCodecs.KERNEL_PROPERTY + "=" + forced + " but " + why);
        });
        return kernel;
    }
}
