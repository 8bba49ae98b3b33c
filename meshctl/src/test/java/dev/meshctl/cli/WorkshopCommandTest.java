package dev.meshctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkshopCommandTest {
  @TempDir
  Path home;

  @Test
  void listPrintsOneWorkshopPerLineNameFirst() {
    CliRun.Result r = new CliRun(home).run("workshop", "list");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    var lines = r.out().lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).startsWith("01-ambient-basics ").contains("Ambient basics");
    assertThat(lines.get(1)).startsWith("02-l4-authorization ");
    assertThat(lines.subList(2, 6)).extracting(l -> l.split(" ")[0])
        .containsExactly("03-waypoints", "04-traffic-management", "05-observability", "06-operations");
  }

  @Test
  void statusBeforeAnyWorkshopSaysHowToStart() {
    CliRun.Result r = new CliRun(home).run("--lab", "wsdemo", "workshop", "status");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("no workshop started on lab wsdemo");
  }

  @Test
  void verifyWithoutAStartedWorkshopFailsWithAHint() {
    CliRun.Result r = new CliRun(home).run("--lab", "wsdemo", "workshop", "verify");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no workshop started on lab wsdemo").contains("meshctl workshop start NAME");
  }

  @Test
  void unknownWorkshopNamesTheChoices() {
    CliRun.Result r = new CliRun(home).run("--lab", "wsdemo", "workshop", "start", "nope");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no workshop \"nope\"").contains("01-ambient-basics");
  }

  @Test
  void runNeedsAuto() {
    CliRun.Result r = new CliRun(home).run("workshop", "run", "01-ambient-basics");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("add --auto");
  }
}
