package dev.meshctl.workshops.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshctl.workshops.model.Probe;
import dev.meshctl.workshops.model.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs a (rendered) probe through a {@link CommandExecutor} and turns what came back into a {@link ProbeResult}. */
public final class ProbeRunner {
  static final String MISSING = "(missing)";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(60);
  private final CommandExecutor executor;

  public ProbeRunner(CommandExecutor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /** Runs {@code probe} once. */
  public ProbeResult run(Probe probe) {
    Objects.requireNonNull(probe, "probe");
    if (probe instanceof Probe.Command c) {
      ExecResult r = executor.run(c.run(), Retry.parse(c.timeout()));
      return new ProbeResult(r.exitCode(), null, r.stdout(), detail(c.run(), r), List.of());
    } else if (probe instanceof Probe.Http h) {
      String script = ProbeCommands.http(h);
      ExecResult r = executor.run(script, HTTP_TIMEOUT);
      String[] split = ProbeCommands.splitStatus(r.stdout());
      return new ProbeResult(r.exitCode(), Integer.parseInt(split[1]), split[0], detail(script, r), List.of());
    } else if (probe instanceof Probe.Capture c) {
      String script = ProbeCommands.capture(c);
      ExecResult r = executor.run(script, Duration.ofSeconds(c.seconds() + 90L));
      return new ProbeResult(r.exitCode(), null, r.stdout(), detail(script, r), List.of());
    } else if (probe instanceof Probe.Json j) {
      ExecResult r = executor.run(j.run(), Duration.ofSeconds(120));
      return new ProbeResult(r.exitCode(), null, select(r.stdout(), j), detail(j.run(), r), List.of());
    } else if (probe instanceof Probe.Repeat rep) {
      return repeat(rep);
    }
    throw new IllegalStateException("BUG: unknown probe type " + probe.getClass().getName());
  }

  private ProbeResult repeat(Probe.Repeat rep) {
    List<String> samples = new ArrayList<>();
    int exit = 0;
    String lastDetail = "";
    for (int i = 0; i < rep.times(); i++) {
      ProbeResult one = run(rep.probe());
      if (exit == 0 && one.exitCode() != 0) {
        exit = one.exitCode();
        lastDetail = one.detail();
      }
      samples.add(sample(one.output(), rep));
    }
    return new ProbeResult(exit, null, String.join("\n", samples),
        rep.times() + " runs" + (lastDetail.isEmpty() ? "" : "; first failure: " + lastDetail), samples);
  }

  /** Extracts one run's value: the JSON pointer {@code field} or the first group (else the match) of {@code regex}. */
  static String sample(String output, Probe.Repeat rep) {
    if (rep.field() != null) {
      return parse(output).map(n -> n.at(rep.field())).filter(n -> !n.isMissingNode())
          .map(ProbeRunner::text).orElse(MISSING);
    }
    Matcher m = Pattern.compile(rep.regex()).matcher(output);
    if (!m.find()) {
      return MISSING;
    }
    return m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
  }

  /** Applies a JSON probe's pointer and {@code each} pointers; leaves output that is not JSON as it was. */
  static String select(String stdout, Probe.Json j) {
    Optional<JsonNode> doc = parse(stdout);
    if (doc.isEmpty()) {
      return stdout;
    }
    JsonNode at = doc.get().at(j.pointer());
    if (at.isMissingNode()) {
      return MISSING;
    }
    if (j.each().isEmpty()) {
      return text(at);
    }
    List<String> lines = new ArrayList<>();
    for (JsonNode element : at) {
      lines.add(String.join(" ", j.each().stream().map(p -> element.at(p))
          .map(n -> n.isMissingNode() ? "-" : text(n)).toList()));
    }
    return String.join("\n", lines.stream().sorted().toList());
  }

  static Optional<JsonNode> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(text));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  static String text(JsonNode n) {
    return n.isValueNode() ? n.asText() : n.toString();
  }

  private static String detail(String script, ExecResult r) {
    String err = r.stderr().strip();
    return "$ " + script + (err.isEmpty() ? "" : "\n" + err);
  }
}
