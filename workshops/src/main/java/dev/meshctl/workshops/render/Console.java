package dev.meshctl.workshops.render;

import java.io.PrintWriter;
import java.util.Objects;

/** Where the runner writes: data and reports on {@code out}, progress on {@code err}; colour only when allowed. */
public record Console(PrintWriter out, PrintWriter err, boolean colour) {
  private static final String GREEN = "\u001b[32m";
  private static final String RED = "\u001b[31m";
  private static final String BOLD = "\u001b[1m";
  private static final String DIM = "\u001b[2m";
  private static final String RESET = "\u001b[0m";

  public Console {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
  }

  /** Returns ✔ (green when coloured). */
  public String pass() {
    return colour ? GREEN + "✔" + RESET : "✔";
  }

  /** Returns ✘ (red when coloured). */
  public String fail() {
    return colour ? RED + "✘" + RESET : "✘";
  }

  /** Returns {@code text} in bold when coloured. */
  public String bold(String text) {
    return colour ? BOLD + text + RESET : text;
  }

  /** Returns {@code text} dimmed when coloured. */
  public String dim(String text) {
    return colour ? DIM + text + RESET : text;
  }

  /** Renders markdown for this console. */
  public String markdown(String text) {
    return new MarkdownRenderer(colour).render(text);
  }
}
