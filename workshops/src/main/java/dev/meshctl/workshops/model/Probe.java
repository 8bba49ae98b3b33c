package dev.meshctl.workshops.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;

/** What a check looks at; the {@code type} field in YAML picks the kind. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Probe.Command.class, name = "command"),
    @JsonSubTypes.Type(value = Probe.Http.class, name = "http"),
    @JsonSubTypes.Type(value = Probe.Repeat.class, name = "repeat"),
    @JsonSubTypes.Type(value = Probe.Capture.class, name = "capture"),
    @JsonSubTypes.Type(value = Probe.Json.class, name = "json")})
public sealed interface Probe {

  /** Runs a shell command ({@code meshctl} resolves to this build); the output is its stdout. */
  record Command(String run, String timeout) implements Probe {
    public Command {
      Objects.requireNonNull(run, "run");
      timeout = timeout == null ? "120s" : timeout;
      Retry.parse(timeout);
    }
  }

  /** Makes an HTTP request with curl from inside a pod; exposes the status, the body and curl's exit code. */
  record Http(String from, String namespace, String url, String method, List<String> headers) implements Probe {
    public Http {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(url, "url");
      namespace = namespace == null ? "default" : namespace;
      method = method == null ? "GET" : method;
      headers = headers == null ? List.of() : List.copyOf(headers);
    }
  }

  /**
   * Runs {@code probe} {@code times} times and collects one value per run: the JSON pointer {@code field} of the
   * output, or the first group of {@code regex}.
   */
  record Repeat(int times, Probe probe, String field, String regex) implements Probe {
    public Repeat {
      Objects.requireNonNull(probe, "probe");
      if (times < 1) {
        throw new IllegalArgumentException("repeat.times must be at least 1, got " + times);
      }
      if ((field == null) == (regex == null)) {
        throw new IllegalArgumentException("repeat needs exactly one of field (a JSON pointer) or regex");
      }
    }
  }

  /**
   * Captures packets with {@code meshctl lab capture} (on the cluster bridge, or on {@code node}'s link) while
   * {@code traffic} (a shell command) runs over and over in the background.
   */
  record Capture(String node, Integer count, Integer seconds, String filter, String traffic) implements Probe {
    public Capture {
      seconds = seconds == null ? 5 : seconds;
      if (seconds < 1) {
        throw new IllegalArgumentException("capture.seconds must be at least 1, got " + seconds);
      }
    }
  }

  /**
   * Runs a command that prints JSON (e.g. with {@code -o json}). The output is the value at {@code pointer}; with
   * {@code each}, that value must be an array and the output is one line per element holding the values at the
   * {@code each} pointers, sorted, so that two listings can be compared.
   */
  record Json(String run, String pointer, List<String> each) implements Probe {
    public Json {
      Objects.requireNonNull(run, "run");
      pointer = pointer == null ? "" : pointer;
      each = each == null ? List.of() : List.copyOf(each);
    }
  }
}
