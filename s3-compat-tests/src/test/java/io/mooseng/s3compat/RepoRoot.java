package io.mooseng.s3compat;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root: the folder with the {@code mooseng} launcher, above this module (surefire's working directory). */
public final class RepoRoot {
    private RepoRoot() {
    }

    public static Path find() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("mooseng")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new AssertionError("no mooseng launcher above " + start);
    }
}
