package dev.meshctl.workshops.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.workshops.model.Expect;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpectationsTest {
  private static Expect expect(Integer exit, Integer status, List<String> contains, List<String> notContains,
      String matches) {
    return new Expect(exit, status, contains, notContains, matches, null, null, null);
  }

  private static ProbeResult output(String text) {
    return new ProbeResult(0, null, text, "", List.of());
  }

  @Test
  void exitCodeMustMatch() {
    ProbeResult r = new ProbeResult(56, 0, "", "", List.of());
    assertThat(Expectations.failures(expect(56, null, null, null, null), r)).isEmpty();
    assertThat(Expectations.failures(expect(0, null, null, null, null), r))
        .containsExactly("expected exit code 0, got 56");
  }

  @Test
  void statusComparesAndNamesAMissingResponse() {
    assertThat(Expectations.failures(expect(null, 200, null, null, null), new ProbeResult(0, 200, "", "", null)))
        .isEmpty();
    assertThat(Expectations.failures(expect(null, 200, null, null, null), new ProbeResult(56, 0, "", "", null)))
        .containsExactly("expected HTTP status 200, got no response");
    assertThat(Expectations.failures(expect(null, 200, null, null, null), output("x")))
        .singleElement().asString().contains("makes no HTTP request");
  }

  @Test
  void containsAndNotContains() {
    ProbeResult r = output("PROTOCOL HBONE productpage");
    assertThat(Expectations.failures(expect(null, null, List.of("HBONE", "productpage"), List.of("TCP"), null), r))
        .isEmpty();
    assertThat(Expectations.failures(expect(null, null, List.of("ratings"), List.of("HBONE"), null), r))
        .containsExactly("expected the output to contain \"ratings\"",
            "expected the output not to contain \"HBONE\"");
  }

  @Test
  void matchesIsMultilineAndReportsBadPatterns() {
    ProbeResult r = output("NAMESPACE POD\ndefault   productpage-v1-x  10.1.0.4  node1  None  HBONE\n");
    assertThat(Expectations.failures(expect(null, null, null, null, "^default\\s+productpage\\S*\\s.*HBONE$"), r))
        .isEmpty();
    assertThat(Expectations.failures(expect(null, null, null, null, "^ratings"), r))
        .containsExactly("expected the output to match /^ratings/");
    assertThat(Expectations.failures(expect(null, null, null, null, "(unclosed"), r))
        .singleElement().asString().contains("is invalid");
  }

  @Test
  void jsonEqualsComparesTextAtAPointer() {
    ProbeResult r = output("{\"reviews\": {\"version\": \"v2\", \"stars\": 4}}");
    Expect ok = new Expect(null, null, null, null, null, new Expect.JsonEquals("/reviews/version", "v2"), null, null);
    Expect number = new Expect(null, null, null, null, null, new Expect.JsonEquals("/reviews/stars", "4"), null, null);
    Expect wrong = new Expect(null, null, null, null, null, new Expect.JsonEquals("/reviews/version", "v3"), null,
        null);
    Expect missing = new Expect(null, null, null, null, null, new Expect.JsonEquals("/nope", "x"), null, null);
    assertThat(Expectations.failures(ok, r)).isEmpty();
    assertThat(Expectations.failures(number, r)).isEmpty();
    assertThat(Expectations.failures(wrong, r)).containsExactly("expected /reviews/version = \"v3\", got \"v2\"");
    assertThat(Expectations.failures(missing, r)).singleElement().asString().contains("missing");
    assertThat(Expectations.failures(ok, output("not json"))).singleElement().asString().contains("not JSON");
  }

  @Test
  void bandCountsSamplesAndTreatsUnseenAsZero() {
    List<String> samples = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      samples.add(i < 12 ? "v2" : "v1");
    }
    ProbeResult r = new ProbeResult(0, null, String.join("\n", samples), "", samples);
    Map<String, Expect.Range> good = Map.of("v2", new Expect.Range(3, 20), "v3", new Expect.Range(null, 0));
    assertThat(Expectations.failures(new Expect(null, null, null, null, null, null, good, null), r)).isEmpty();
    Map<String, Expect.Range> bad = Map.of("v2", new Expect.Range(50, null));
    assertThat(Expectations.failures(new Expect(null, null, null, null, null, null, bad, null), r))
        .containsExactly("expected \"v2\" at least 50 times of 100, got 12 (seen: v1=88 v2=12)");
  }

  @Test
  void countCountsPatternMatchesOrSamples() {
    ProbeResult r = output("a Running\nb Running\nc Pending\n");
    Expect two = new Expect(null, null, null, null, null, null, null, new Expect.Count(" Running$", 2, 2));
    Expect three = new Expect(null, null, null, null, null, null, null, new Expect.Count(" Running$", 3, null));
    Expect lines = new Expect(null, null, null, null, null, null, null, new Expect.Count(null, null, 2));
    assertThat(Expectations.failures(two, r)).isEmpty();
    assertThat(Expectations.failures(three, r))
        .containsExactly("expected at least 3 matches of / Running$/, got 2");
    assertThat(Expectations.failures(lines, r)).containsExactly("expected at most 2 lines, got 3");
  }

  @Test
  void nothingExpectedPasses() {
    assertThat(Expectations.failures(Expect.NOTHING, output(""))).isEmpty();
  }
}
