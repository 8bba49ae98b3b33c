package dev.meshctl.nodeagent.config;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Reads the node's bootstrap token from its file on every use, so a reissued token is picked up without a restart,
 * and attaches it to gRPC calls as {@code authorization: Bearer <token>}.
 */
public final class BearerToken extends CallCredentials {

  /** The header the control plane reads the token from. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Path file;

  /** Creates credentials read from {@code file}. */
  public BearerToken(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /**
   * Returns the token, trimmed.
   *
   * @throws IllegalStateException naming the file if it cannot be read or is empty
   */
  public String read() {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the node token file " + file + ": " + e
          + "; pass the file `meshctl install` wrote with --token-file", e);
    }
    if (token.isEmpty()) {
      throw new IllegalStateException("the node token file " + file + " is empty; re-run `meshctl install` to reissue");
    }
    if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalStateException("the node token file " + file + " holds characters a token cannot have"
          + " (spaces, control or non-ASCII characters); re-run `meshctl install` to reissue");
    }
    return token;
  }

  @Override
  public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
    appExecutor.execute(() -> {
      try {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + read());
        applier.apply(headers);
      } catch (RuntimeException e) {
        applier.fail(Status.UNAUTHENTICATED.withDescription(e.getMessage()).withCause(e));
      }
    });
  }
}
