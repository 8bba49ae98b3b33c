package dev.meshctl.controlplane.ca;

import dev.meshctl.core.identity.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs {@code openssl verify} as an independent judge of issued chains; skips the test visibly without openssl. */
final class Openssl {

    private Openssl() {
    }

    /** The outcome of one openssl run. */
    record Result(int exitCode, String output) {
    }

    /** Verifies {@code leaf} against {@code root}, with optional untrusted intermediates and a purpose. */
    static Result verify(Path dir, X509Certificate root, List<X509Certificate> intermediates, X509Certificate leaf,
                         String purpose) throws IOException, InterruptedException {
        Path rootPem = Files.writeString(dir.resolve("root.pem"), Pem.encodeCertificate(root));
        Path leafPem = Files.writeString(dir.resolve("leaf.pem"), Pem.encodeCertificate(leaf));
        List<String> command = new ArrayList<>(List.of("openssl", "verify", "-CAfile", rootPem.toString()));
        if (!intermediates.isEmpty()) {
            Path inter = Files.writeString(dir.resolve("inter.pem"), Pem.encodeCertificates(intermediates));
            command.addAll(List.of("-untrusted", inter.toString()));
        }
        if (purpose != null) {
            command.addAll(List.of("-purpose", purpose));
        }
        command.add(leafPem.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("openssl is not installed, so chains cannot be checked by an independent verifier: "
                    + e.getMessage());
            throw e;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("openssl verify did not finish within 60 s");
        }
        return new Result(process.exitValue(), output);
    }
}
