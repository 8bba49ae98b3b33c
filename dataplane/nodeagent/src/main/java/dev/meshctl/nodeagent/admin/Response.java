package dev.meshctl.nodeagent.admin;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An HTTP response an endpoint handler decided on, before any I/O.
 *
 * @param status the HTTP status code
 * @param contentType the content-type header
 * @param body the body text
 */
public record Response(int status, String contentType, String body) {

  /** The content type Prometheus scrapers expect for the text exposition format. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** Checks the fields. */
  public Response {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  /** Returns a JSON response. */
  public static Response json(int status, String json) {
    return new Response(status, "application/json", json.endsWith("\n") ? json : json + "\n");
  }

  /** Returns a plain-text response. */
  public static Response text(int status, String text) {
    return new Response(status, "text/plain; charset=utf-8", text.endsWith("\n") ? text : text + "\n");
  }

  /** Returns the body as UTF-8 bytes. */
  public byte[] bytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
