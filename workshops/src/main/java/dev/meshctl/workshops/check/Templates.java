package dev.meshctl.workshops.check;

import dev.meshctl.workshops.model.Expect;
import dev.meshctl.workshops.model.Probe;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Substitutes {@code {{name}}} variables (the lab, the workshop's folders, saved outputs) in commands and checks. */
public final class Templates {
  private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");
  private final Map<String, String> values;

  public Templates(Map<String, String> values) {
    this.values = Map.copyOf(Objects.requireNonNull(values, "values"));
  }

  /** Returns these variables plus {@code name = value}. */
  public Templates with(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(values);
    copy.put(name, value);
    return new Templates(copy);
  }

  public Map<String, String> values() {
    return values;
  }

  /** Replaces every variable in {@code text}; fails naming a variable that has no value. */
  public String render(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = VARIABLE.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("unknown variable {{" + m.group(1) + "}} in \"" + text
            + "\": known are " + values.keySet().stream().sorted().toList()
            + " (a saved value exists only after the check that saves it has passed)");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** Renders every text field of a probe. */
  public Probe render(Probe probe) {
    if (probe instanceof Probe.Command c) {
      return new Probe.Command(render(c.run()), c.timeout());
    } else if (probe instanceof Probe.Http h) {
      return new Probe.Http(render(h.from()), render(h.namespace()), render(h.url()), h.method(),
          h.headers().stream().map(this::render).toList());
    } else if (probe instanceof Probe.Repeat r) {
      return new Probe.Repeat(r.times(), render(r.probe()), r.field(), r.regex());
    } else if (probe instanceof Probe.Capture c) {
      return new Probe.Capture(render(c.node()), c.count(), c.seconds(), render(c.filter()), render(c.traffic()));
    } else if (probe instanceof Probe.Json j) {
      return new Probe.Json(render(j.run()), j.pointer(), j.each());
    }
    throw new IllegalStateException("BUG: unknown probe type " + probe.getClass().getName());
  }

  /** Renders the texts an expectation compares with. */
  public Expect render(Expect e) {
    List<String> contains = e.contains().stream().map(this::render).toList();
    List<String> notContains = e.notContains().stream().map(this::render).toList();
    Expect.JsonEquals je = e.jsonEquals() == null ? null
        : new Expect.JsonEquals(e.jsonEquals().pointer(), render(e.jsonEquals().value()));
    return new Expect(e.exitCode(), e.status(), contains, notContains, render(e.matches()), je, e.band(), e.count());
  }
}
