package dev.omni.k8s;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a local command (kubectl, bash) and returns its standard output; fails with its standard error. */
final class Commands {
    private Commands() {
    }

    static String run(List<String> command, String stdin, String hint) {
        return run(command, stdin, hint, 60);
    }

    static String run(List<String> command, String stdin, String hint, int timeoutSeconds) {
        File err = null;
        try {
            err = File.createTempFile("omni-k8s", ".err");
            Process p = new ProcessBuilder(command).directory(Repo.K8S.toFile())
                    .redirectError(err).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(err.toPath()));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + " (" + hint + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (err != null) {
                err.delete();
            }
        }
    }
}
