package dev.meshctl.workshops.render;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the markdown of step instructions for a terminal: headings bold, code blocks indented, bullets as dots,
 * inline code and emphasis without their marks (and in colour only when colour is on).
 */
public final class MarkdownRenderer {
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*)$");
  private static final Pattern BULLET = Pattern.compile("^(\\s*)[-*]\\s+(.*)$");
  private static final Pattern STRONG = Pattern.compile("\\*\\*(.+?)\\*\\*");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final String CODE_INDENT = "    ";
  private final boolean colour;

  public MarkdownRenderer(boolean colour) {
    this.colour = colour;
  }

  /** Renders {@code markdown}; the result ends with a newline unless empty. */
  public String render(String markdown) {
    StringBuilder out = new StringBuilder();
    boolean inCode = false;
    for (String line : markdown.strip().lines().toList()) {
      if (line.strip().startsWith("```")) {
        inCode = !inCode;
        continue;
      }
      if (inCode) {
        out.append(CODE_INDENT).append(colour ? "\u001b[36m" + line + "\u001b[0m" : line).append('\n');
        continue;
      }
      Matcher h = HEADING.matcher(line);
      Matcher b = BULLET.matcher(line);
      if (h.matches()) {
        out.append(bold(inline(h.group(2)))).append('\n');
      } else if (b.matches()) {
        out.append(b.group(1)).append("  • ").append(inline(b.group(2))).append('\n');
      } else {
        out.append(inline(line)).append('\n');
      }
    }
    return out.toString();
  }

  private String inline(String text) {
    String s = STRONG.matcher(text).replaceAll(m -> Matcher.quoteReplacement(bold(m.group(1))));
    return CODE.matcher(s).replaceAll(m -> Matcher.quoteReplacement(
        colour ? "\u001b[36m" + m.group(1) + "\u001b[0m" : m.group(1)));
  }

  private String bold(String text) {
    return colour ? "\u001b[1m" + text + "\u001b[0m" : text;
  }
}
