package dev.meshctl.workshops.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownRendererTest {
  private static final String MD = """
      # Enroll

      Label the **namespace**, not `pods`:

      ```
      meshctl label namespace default istio.io/dataplane-mode=ambient
      ```
      - no restart
      """;

  @Test
  void plainTextHasNoMarksAndNoEscapes() {
    String out = new MarkdownRenderer(false).render(MD);
    assertThat(out).isEqualTo("""
        Enroll

        Label the namespace, not pods:

            meshctl label namespace default istio.io/dataplane-mode=ambient
          • no restart
        """);
    assertThat(out).doesNotContain("\u001b");
  }

  @Test
  void colourMakesHeadingsBoldAndCodeCyan() {
    String out = new MarkdownRenderer(true).render(MD);
    assertThat(out).startsWith("\u001b[1mEnroll\u001b[0m\n");
    assertThat(out).contains("\u001b[1mnamespace\u001b[0m").contains("\u001b[36mpods\u001b[0m")
        .contains("    \u001b[36mmeshctl label");
  }

  @Test
  void consoleMarksFollowColour() {
    var w = new java.io.PrintWriter(new java.io.StringWriter());
    assertThat(new Console(w, w, false).pass()).isEqualTo("✔");
    assertThat(new Console(w, w, false).fail()).isEqualTo("✘");
    assertThat(new Console(w, w, true).pass()).contains("\u001b[32m");
  }
}
