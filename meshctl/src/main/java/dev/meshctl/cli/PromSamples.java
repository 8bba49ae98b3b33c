package dev.meshctl.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Parses Prometheus text exposition into samples and answers the questions {@code meshctl metrics} asks of them:
 * which series match a name and label selectors, and what they add up to, in total or per label value. Pure, so the
 * rules are unit-tested without a lab.
 */
final class PromSamples {

  /** One series' value as scraped from {@code source} (e.g. {@code node-agent/node-1}). */
  record Sample(String source, String name, Map<String, String> labels, double value) {
    Sample {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(name, "name");
      labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** Formats the sample as {@code name{k="v",...} value}, as Prometheus writes it. */
    String text() {
      StringBuilder b = new StringBuilder(name);
      if (!labels.isEmpty()) {
        b.append('{');
        labels.forEach((k, v) -> b.append(k).append("=\"").append(v.replace("\\", "\\\\").replace("\"", "\\\""))
            .append("\","));
        b.setLength(b.length() - 1);
        b.append('}');
      }
      return b.append(' ').append(number(value)).toString();
    }
  }

  /**
   * A label selector as PromQL writes them: {@code k=v}, {@code k!=v}, {@code k=~regex} or {@code k!~regex} (the
   * regex must match the whole value; a missing label is the empty string).
   */
  record Matcher(String label, String op, String value, Pattern regex) {
    private static final Pattern SYNTAX = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"?(.*?)\"?");

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming the forms it accepts. */
    static Matcher parse(String text) {
      java.util.regex.Matcher m = SYNTAX.matcher(Objects.requireNonNull(text, "text").strip());
      if (!m.matches()) {
        throw new IllegalArgumentException("bad label selector '" + text
            + "': use LABEL=VALUE, LABEL!=VALUE, LABEL=~REGEX or LABEL!~REGEX");
      }
      String op = m.group(2);
      Pattern regex = null;
      if (op.contains("~")) {
        try {
          regex = Pattern.compile(m.group(3));
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new IllegalArgumentException("bad regular expression in '" + text + "': " + e.getDescription());
        }
      }
      return new Matcher(m.group(1), op, m.group(3), regex);
    }

    boolean test(Map<String, String> labels) {
      String actual = labels.getOrDefault(label, "");
      return switch (op) {
        case "=" -> actual.equals(value);
        case "!=" -> !actual.equals(value);
        case "=~" -> regex.matcher(actual).matches();
        default -> !regex.matcher(actual).matches();
      };
    }
  }

  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\S+)?");
  private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

  private PromSamples() {}

  /** Parses {@code text} scraped from {@code source}; comments, blank and unreadable lines are skipped. */
  static List<Sample> parse(String source, String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : Objects.requireNonNull(text, "text").split("\n")) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      java.util.regex.Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        java.util.regex.Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
        }
      }
      try {
        out.add(new Sample(source, m.group(1), labels, Double.parseDouble(m.group(4))));
      } catch (NumberFormatException e) {
        // Not a sample line after all (e.g. a stray word); skip it like any other line we cannot read.
      }
    }
    return out;
  }

  /**
   * Tells whether {@code sample} is the metric {@code name}: the exact name, or the name plus Prometheus's
   * {@code _total} (counters) or one of {@code _bucket}/{@code _sum}/{@code _count} (histograms), so that
   * {@code istio_requests} and {@code istio_requests_total} both work. An empty name matches every metric.
   */
  static boolean isMetric(Sample sample, String name) {
    if (name == null || name.isEmpty()) {
      return true;
    }
    String n = sample.name();
    return n.equals(name) || n.equals(name + "_total")
        || n.equals(name + "_bucket") || n.equals(name + "_sum") || n.equals(name + "_count");
  }

  /** Returns the samples of metric {@code name} whose labels satisfy every matcher. */
  static List<Sample> select(List<Sample> samples, String name, List<Matcher> matchers) {
    return samples.stream().filter(s -> isMetric(s, name))
        .filter(s -> matchers.stream().allMatch(m -> m.test(s.labels()))).toList();
  }

  /** Returns the sum of {@code samples} per value of {@code label} (values sorted; a missing label is empty). */
  static Map<String, Double> sumBy(List<Sample> samples, String label) {
    Map<String, Double> out = new TreeMap<>();
    for (Sample s : samples) {
      out.merge(s.labels().getOrDefault(label, ""), s.value(), Double::sum);
    }
    return out;
  }

  /** Returns the sum of {@code samples}. */
  static double sum(List<Sample> samples) {
    return samples.stream().mapToDouble(Sample::value).sum();
  }

  /** Writes {@code value} as an integer when it is one (counters), else as Java prints a double. */
  static String number(double value) {
    if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
