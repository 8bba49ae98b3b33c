package dev.meshctl.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Holds where output goes: data on stdout, progress and errors on stderr; colour and progress only on a TTY and
 * never with {@code NO_COLOR}.
 */
public record Terminal(PrintWriter out, PrintWriter err, boolean tty, Map<String, String> env) {

  /** Returns the process's own terminal. */
  public static Terminal system() {
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    return new Terminal(out, err, System.console() != null, System.getenv());
  }

  /** Tells whether to colour output. */
  public boolean colour() {
    return tty && !env.containsKey("NO_COLOR");
  }

  /** Prints a progress line on stderr when attached to a terminal. */
  public void progress(String step) {
    if (tty) {
      err.println(colour() ? "\u001b[2m… " + step + "\u001b[0m" : "… " + step);
      err.flush();
    }
  }

  /** Renders a check mark line (✔ / ✘ / ‼). */
  public String mark(String symbol, boolean good) {
    if (!colour()) {
      return symbol;
    }
    return (good ? "\u001b[32m" : "\u001b[31m") + symbol + "\u001b[0m";
  }
}
