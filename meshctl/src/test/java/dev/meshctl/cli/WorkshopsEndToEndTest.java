package dev.meshctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs every shipped workshop unattended on one netns lab, in order (each builds on the one before), and checks the
 * summary and the JUnit XML. Needs root and the packaged jar.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkshopsEndToEndTest {
  private final String lab = "ws" + Integer.toString(new Random().nextInt(1 << 20), 36);
  private Path home;
  private CliRun cli;

  @BeforeAll
  void setUp() throws IOException {
    home = Files.createTempDirectory("meshctl-workshops-e2e");
    cli = new CliRun(home);
  }

  @AfterAll
  void tearDown() throws IOException {
    cli.run("--lab", lab, "lab", "down");
    try (var walk = Files.walk(home)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void runAuto(String workshop) throws IOException {
    Path junit = home.resolve(workshop + ".xml");
    long start = System.nanoTime();
    CliRun.Result r = cli.run("--lab", lab, "workshop", "run", workshop, "--auto", "--junit", junit.toString());
    // Printed, not asserted: CI keeps each workshop's run within a budget, and this shows where it stands.
    System.out.printf("%s: exit %d in %ds%n", workshop, r.exitCode(), (System.nanoTime() - start) / 1_000_000_000L);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).as(r.toString()).containsPattern("✔ \\d+ steps, \\d+ checks passed");
    String xml = Files.readString(junit);
    assertThat(xml).contains("<testsuite").contains("name=\"" + workshop + "\"").doesNotContain("<failure");
  }

  @Test
  @Order(1)
  void ambientBasics() throws IOException {
    runAuto("01-ambient-basics");
  }

  @Test
  @Order(2)
  void l4Authorization() throws IOException {
    runAuto("02-l4-authorization");
  }

  @Test
  @Order(3)
  void waypoints() throws IOException {
    runAuto("03-waypoints");
  }

  @Test
  @Order(4)
  void trafficManagement() throws IOException {
    runAuto("04-traffic-management");
  }

  @Test
  @Order(5)
  void observability() throws IOException {
    runAuto("05-observability");
  }

  @Test
  @Order(6)
  void operations() throws IOException {
    runAuto("06-operations");
  }
}
