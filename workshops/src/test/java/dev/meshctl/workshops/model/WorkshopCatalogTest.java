package dev.meshctl.workshops.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkshopCatalogTest {
  private static final String GOOD = """
      title: Demo
      summary: A demo.
      prerequisites: {nodes: 2, mesh: true, setup: ["meshctl apply -f {{samples}}/curl/curl.yaml"]}
      files: [policy.yaml]
      steps:
        - id: one
          title: First
          instructions: steps/one.md
          commands: [meshctl lab status]
          checks:
            - name: lab ok
              probe: {type: command, run: meshctl lab status}
              expect: {exitCode: 0, contains: healthy}
              retry: {attempts: 3, interval: 500ms}
              hint: Look at the lab.
              save: status
            - name: uses saved
              probe: {type: http, from: deploy/curl, url: 'http://x/{{status}}'}
              expect: {status: 200, band: {v2: {min: 3, max: 20}}}
              hint: Look.
      """;

  private static Map<String, String> files(String workshopYaml) {
    Map<String, String> files = new HashMap<>();
    files.put("index.yaml", "workshops: [01-demo]\n");
    files.put("01-demo/workshop.yaml", workshopYaml);
    files.put("01-demo/steps/one.md", "# First\n");
    files.put("01-demo/policy.yaml", "kind: AuthorizationPolicy\n");
    return files;
  }

  private static WorkshopCatalog catalog(String workshopYaml) {
    return new WorkshopCatalog(ResourceReader.of(files(workshopYaml)));
  }

  @Test
  void everyShippedWorkshopLoadsAndValidates() {
    WorkshopCatalog shipped = WorkshopCatalog.shipped();
    assertThat(shipped.names()).containsExactly("01-ambient-basics", "02-l4-authorization", "03-waypoints",
        "04-traffic-management", "05-observability", "06-operations");
    for (Workshop w : shipped.all()) {
      assertThat(w.steps()).as(w.name()).isNotEmpty();
      for (Step s : w.steps()) {
        assertThat(s.instructions()).as(w.name() + "/" + s.id()).isNotBlank();
        assertThat(s.checks().size()).as(w.name() + "/" + s.id() + " checks").isBetween(1, 4);
      }
    }
    assertThat(shipped.load("02-l4-authorization").files()).contains("notcurl.yaml");
  }

  @Test
  void loadsAllFields() {
    Workshop w = catalog(GOOD).load("01-demo");
    assertThat(w.title()).isEqualTo("Demo");
    assertThat(w.prerequisites()).isEqualTo(new Prerequisites(2, true,
        java.util.List.of("meshctl apply -f {{samples}}/curl/curl.yaml")));
    Step step = w.step(0);
    assertThat(step.instructions()).isEqualTo("# First\n");
    Check check = step.checks().get(0);
    assertThat(check.probe()).isEqualTo(new Probe.Command("meshctl lab status", null));
    assertThat(check.expect().contains()).containsExactly("healthy");
    assertThat(check.retry().pause()).isEqualTo(java.time.Duration.ofMillis(500));
    assertThat(step.checks().get(1).expect().band()).containsEntry("v2", new Expect.Range(3, 20));
    assertThat(step.checks().get(1).retry()).isEqualTo(Retry.ONCE);
  }

  @Test
  void findsAWorkshopByItsShortName() {
    assertThat(catalog(GOOD).load("demo").name()).isEqualTo("01-demo");
    assertThat(catalog(GOOD).load("01").name()).isEqualTo("01-demo");
    assertThatThrownBy(() -> catalog(GOOD).load("nope")).isInstanceOf(WorkshopFormatException.class)
        .hasMessageContaining("no workshop \"nope\": choose one of 01-demo");
  }

  @Test
  void unknownFieldsNameTheFileAndTheField() {
    assertThatThrownBy(() -> catalog(GOOD.replace("hint: Look.", "hnit: Look.")).load("01-demo"))
        .isInstanceOf(WorkshopFormatException.class)
        .hasMessageContaining("01-demo/workshop.yaml: unknown field \"hnit\" at steps[0].checks[1]")
        .hasMessageContaining("known fields:");
    assertThatThrownBy(() -> catalog(GOOD.replace("contains: healthy", "contain: healthy")).load("01-demo"))
        .hasMessageContaining("unknown field \"contain\" at steps[0].checks[0].expect");
  }

  @Test
  void badValuesAndUnknownProbeTypesAreNamed() {
    assertThatThrownBy(() -> catalog(GOOD.replace("interval: 500ms", "interval: soon")).load("01-demo"))
        .hasMessageContaining("01-demo/workshop.yaml: bad value at steps[0].checks[0].retry")
        .hasMessageContaining("write it like 500ms");
    assertThatThrownBy(() -> catalog(GOOD.replace("type: command", "type: ping")).load("01-demo"))
        .hasMessageContaining("bad value at steps[0].checks[0].probe");
    assertThatThrownBy(() -> catalog(GOOD.replace("url: 'http://x/{{status}}'", "")).load("01-demo"))
        .hasMessageContaining("url");
  }

  @Test
  void validatorRejectsUnknownVariablesMissingHintsAndDuplicateIds() {
    assertThatThrownBy(() -> catalog(GOOD.replace("{{status}}", "{{later}}")).load("01-demo"))
        .hasMessageContaining("unknown variable {{later}}");
    assertThatThrownBy(() -> catalog(GOOD.replace("hint: Look at the lab.", "")).load("01-demo"))
        .hasMessageContaining("a check needs a hint");
    String twice = GOOD + GOOD.substring(GOOD.indexOf("  - id: one"));
    assertThatThrownBy(() -> catalog(twice).load("01-demo")).hasMessageContaining("step id is used twice");
  }

  @Test
  void missingFilesAreNamed() {
    Map<String, String> f = files(GOOD);
    f.remove("01-demo/steps/one.md");
    assertThatThrownBy(() -> new WorkshopCatalog(ResourceReader.of(f)).load("01-demo"))
        .hasMessageContaining("missing workshop file 01-demo/steps/one.md");
    Map<String, String> g = files(GOOD);
    g.remove("01-demo/policy.yaml");
    assertThatThrownBy(() -> new WorkshopCatalog(ResourceReader.of(g)).load("01-demo"))
        .hasMessageContaining("listed file \"policy.yaml\" is not shipped");
  }

  @Test
  void extractCopiesTheShippedFiles(@TempDir Path dir) throws Exception {
    WorkshopCatalog c = catalog(GOOD);
    Path out = c.extract(c.load("01-demo"), dir.resolve("x"));
    assertThat(Files.readString(out.resolve("policy.yaml"))).isEqualTo("kind: AuthorizationPolicy\n");
  }
}
