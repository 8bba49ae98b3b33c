package dev.meshctl.workshops.check;

import dev.meshctl.workshops.model.Expect;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Judges a probe result against an expectation; returns what did not hold, in words a person can act on. */
public final class Expectations {
  private Expectations() {}

  /** Returns the unmet parts of {@code expect}; empty means the check passes. */
  public static List<String> failures(Expect expect, ProbeResult result) {
    List<String> out = new ArrayList<>();
    if (expect.exitCode() != null && expect.exitCode() != result.exitCode()) {
      out.add("expected exit code " + expect.exitCode() + ", got " + result.exitCode());
    }
    if (expect.status() != null) {
      if (result.status() == null) {
        out.add("expected HTTP status " + expect.status() + ", but this probe makes no HTTP request");
      } else if (!expect.status().equals(result.status())) {
        out.add("expected HTTP status " + expect.status() + ", got "
            + (result.status() == 0 ? "no response" : result.status()));
      }
    }
    for (String text : expect.contains()) {
      if (!result.output().contains(text)) {
        out.add("expected the output to contain \"" + text + "\"");
      }
    }
    for (String text : expect.notContains()) {
      if (result.output().contains(text)) {
        out.add("expected the output not to contain \"" + text + "\"");
      }
    }
    if (expect.matches() != null && !pattern(expect.matches(), out).map(p -> p.matcher(result.output()).find())
        .orElse(true)) {
      out.add("expected the output to match /" + expect.matches() + "/");
    }
    if (expect.jsonEquals() != null) {
      jsonEquals(expect.jsonEquals(), result.output()).ifPresent(out::add);
    }
    if (!expect.band().isEmpty()) {
      out.addAll(Bands.failures(expect.band(), Bands.distribution(samples(result))));
    }
    if (expect.count() != null) {
      count(expect.count(), result, out);
    }
    return out;
  }

  private static java.util.Optional<String> jsonEquals(Expect.JsonEquals je, String output) {
    var doc = ProbeRunner.parse(output);
    if (doc.isEmpty()) {
      return java.util.Optional.of("expected JSON with " + je.pointer() + " = \"" + je.value()
          + "\", but the output is not JSON");
    }
    var node = doc.get().at(je.pointer());
    if (node.isMissingNode()) {
      return java.util.Optional.of("expected " + je.pointer() + " = \"" + je.value() + "\", but it is missing");
    }
    String actual = ProbeRunner.text(node);
    return actual.equals(je.value()) ? java.util.Optional.empty()
        : java.util.Optional.of("expected " + je.pointer() + " = \"" + je.value() + "\", got \"" + actual + "\"");
  }

  private static void count(Expect.Count count, ProbeResult result, List<String> out) {
    int n;
    String what;
    if (count.pattern() == null) {
      n = samples(result).size();
      what = result.samples().isEmpty() ? "lines" : "samples";
    } else {
      var p = pattern(count.pattern(), out);
      if (p.isEmpty()) {
        return;
      }
      Matcher m = p.get().matcher(result.output());
      n = 0;
      while (m.find()) {
        n++;
      }
      what = "matches of /" + count.pattern() + "/";
    }
    if (!count.range().holds(n)) {
      out.add("expected " + count.range() + " " + what + ", got " + n);
    }
  }

  /** Returns the repeat samples, or the output's non-blank lines for other probes. */
  static List<String> samples(ProbeResult result) {
    if (!result.samples().isEmpty()) {
      return result.samples();
    }
    return result.output().lines().filter(l -> !l.isBlank()).toList();
  }

  private static java.util.Optional<Pattern> pattern(String regex, List<String> out) {
    try {
      return java.util.Optional.of(Pattern.compile(regex, Pattern.MULTILINE));
    } catch (PatternSyntaxException e) {
      out.add("the check's regular expression /" + regex + "/ is invalid: " + e.getDescription());
      return java.util.Optional.empty();
    }
  }
}
