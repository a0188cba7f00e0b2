package io.mooseng.core.chunk.ec;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the kernel is chosen: by property, else the fastest that can run in this JVM. */
class CodingKernelTest {

    @Test
    void aPropertyValueForcesAKernel() {
        assertEquals(CodingKernel.SCALAR, CodingKernel.choose("scalar"));
        assertThrows(IllegalArgumentException.class, () -> CodingKernel.choose("gpu"));
    }

    @Test
    void withoutAPropertyTheFastestAvailableKernelIsChosen() {
        CodingKernel chosen = CodingKernel.choose(null);
        assertTrue(chosen.unavailability().isEmpty());
        for (CodingKernel faster : Arrays.copyOf(CodingKernel.values(), chosen.ordinal())) {
            assertFalse(faster.unavailability().isEmpty(), faster + " is available but " + chosen + " was chosen");
        }
        assertEquals(chosen, CodingKernel.choose(" "));
    }

    @Test
    void theKernelInUseHasADisplayName() {
        String isal = "isa-l (\\d+\\.\\d+|\\(libisal\\.so\\.2\\))";
        assertTrue(ErasureCodecs.kernel().matches(isal + " \\(native memory\\) \\+ java-vector \\(heap\\)|" + isal
                        + "|java-vector|java-scalar"),
                ErasureCodecs.kernel());
    }

    @Test
    void aJvmWithoutTheVectorModuleOrNativeAccessCodesOnTheScalarKernel() throws Exception {
        Probe probe = probe();
        assertEquals(List.of("java-scalar", Long.toString(ReedSolomonCodecTest.PINNED_8_4_CRC)), probe.stdout(), probe.stderr());
        assertFalse(probe.stderr().contains("restricted method"), probe.stderr());
    }

    @Test
    void aJvmWithTheVectorModuleButNoNativeAccessCodesOnTheVectorKernel() throws Exception {
        Probe probe = probe("--add-modules=jdk.incubator.vector");
        assertEquals(List.of("java-vector", Long.toString(ReedSolomonCodecTest.PINNED_8_4_CRC)), probe.stdout(), probe.stderr());
        assertFalse(probe.stderr().contains("restricted method"), probe.stderr());
    }

    @Test
    void forcingAKernelThatCannotRunFailsWithTheReason() throws Exception {
        Probe probe = probe("-D" + ErasureCodecs.KERNEL_PROPERTY + "=vector");
        assertTrue(probe.stderr().contains("jdk.incubator.vector is not in the boot layer"), probe.stderr());
    }

    private record Probe(List<String> stdout, String stderr) {
    }

    /** Runs {@link KernelProbe} in a JVM with just these flags. */
    private static Probe probe(String... jvmFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelProbe.class.getName()));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return new Probe(stdout.lines().toList(), stderr);
    }
}
