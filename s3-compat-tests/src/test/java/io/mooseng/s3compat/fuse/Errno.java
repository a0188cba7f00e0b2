package io.mooseng.s3compat.fuse;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Names the errno a call ended with ("OK" if none), whether Java or a python child made the call, so tests assert
 * exact errnos. Python serves where Java has no such call (unlink of a directory) or checks first and never makes it.
 */
final class Errno {
    static final String OK = "OK";

    /** glibc's strerror texts, which Java gives as FileSystemException.getReason(). */
    private static final Map<String, String> BY_STRERROR = Map.ofEntries(
            Map.entry("Operation not permitted", "EPERM"),
            Map.entry("No such file or directory", "ENOENT"),
            Map.entry("Permission denied", "EACCES"),
            Map.entry("File exists", "EEXIST"),
            Map.entry("Invalid cross-device link", "EXDEV"),
            Map.entry("Not a directory", "ENOTDIR"),
            Map.entry("Is a directory", "EISDIR"),
            Map.entry("Invalid argument", "EINVAL"),
            Map.entry("No space left on device", "ENOSPC"),
            Map.entry("File name too long", "ENAMETOOLONG"),
            Map.entry("Directory not empty", "ENOTEMPTY"),
            Map.entry("No data available", "ENODATA"),
            Map.entry("Resource temporarily unavailable", "EAGAIN"));

    /** Lines of python run with p = the path arguments; a failure prints its errno name. */
    private static final String PYTHON_CALL = """
            import errno, fcntl, os, sys
            p = sys.argv[1:]
            try:
            %s
            except OSError as e:
                print(errno.errorcode.get(e.errno, e.errno))
            else:
                print("OK")
            """;

    private static final int NOBODY = 65534;

    private Errno() {
    }

    @FunctionalInterface
    interface IoCall {
        void run() throws IOException;
    }

    /** The errno of a Java call; an unknown reason comes back as its text, so a failing assertion shows it. */
    static String of(IoCall call) {
        try {
            call.run();
            return OK;
        } catch (FileSystemException e) {
            return of(e);
        } catch (IOException e) {
            // a call on a channel already open (fstat, read) reports its errno as a plain IOException
            // with the errno's text: a change of rights can land between the open and that call
            String errno = e.getMessage() == null ? null : BY_STRERROR.get(e.getMessage());
            if (errno == null) {
                throw new AssertionError("not a filesystem error", e);
            }
            return errno;
        }
    }

    private static String of(FileSystemException e) {
        String reason = e.getReason();
        if (reason == null) {
            // Java maps these errnos to exception types and drops the text
            if (e instanceof NoSuchFileException) {
                return "ENOENT";
            } else if (e instanceof FileAlreadyExistsException) {
                return "EEXIST";
            } else if (e instanceof AccessDeniedException) {
                return "EACCES";
            } else if (e instanceof DirectoryNotEmptyException) {
                return "ENOTEMPTY";
            }
            throw new AssertionError("no errno in", e);
        }
        // extended attribute calls prefix the text: "Error reading extended attribute 'x': No data available"
        String text = reason.substring(reason.lastIndexOf(": ") + 1).strip();
        return BY_STRERROR.getOrDefault(text, reason);
    }

    /** The errno of python statements, as this user. */
    static String ofPython(String statements, Path... paths) throws IOException, InterruptedException {
        return python(List.of(Processes.PYTHON), statements, paths);
    }

    /** The errno of python statements run as nobody, with no supplementary groups; needs root. */
    static String ofPythonAsNobody(String statements, Path... paths) throws IOException, InterruptedException {
        List<String> launcher = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                Processes.PYTHON);
        return python(launcher, statements, paths);
    }

    private static String python(List<String> launcher, String statements, Path... paths)
            throws IOException, InterruptedException {
        String body = statements.lines().map(line -> "    " + line).collect(Collectors.joining("\n"));
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("-c", PYTHON_CALL.formatted(body)));
        Stream.of(paths).map(Path::toString).forEach(command::add);
        // a directory every user may stand in
        String output = Processes.ok(new ProcessBuilder(command).directory(Path.of("/").toFile())).strip();
        return output.substring(output.lastIndexOf('\n') + 1);
    }
}
