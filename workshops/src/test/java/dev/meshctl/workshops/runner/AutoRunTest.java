package dev.meshctl.workshops.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.workshops.check.ExecResult;
import dev.meshctl.workshops.check.FakeExecutor;
import dev.meshctl.workshops.render.Console;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class AutoRunTest {
  @TempDir
  Path root;
  private final Console plain = new Console(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
      false);

  private static FakeExecutor executor(int curlExit) {
    return new FakeExecutor(s -> s.equals("get-pids") ? ExecResult.of(0, "curl 7 Running", "")
        : s.startsWith("meshctl exec") ? ExecResult.of(curlExit, "body", "curl: (0) it worked")
        : ExecResult.of(0, "", ""));
  }

  @Test
  void runsCommandsThenChecksAndSummarises() {
    TestWorkspace t = new TestWorkspace(root, executor(56));
    RunReport report = new AutoRun(t.workspace).run(t.workspace.catalog().load("demo"), false);
    assertThat(report.passed()).isTrue();
    assertThat(Summary.line(report, plain)).isEqualTo("✔ 2 steps, 3 checks passed");
    assertThat(t.executor.scripts).containsSubsequence("meshctl install --wait",
        "meshctl apply -f " + root.resolve("files/01-demo") + "/policy.yaml", "get-pids",
        "meshctl label namespace default istio.io/dataplane-mode=ambient", "get-pids");
    assertThat(t.err.toString()).contains("$ meshctl label namespace default");
  }

  @Test
  void stopsAtTheFirstFailedStepUnlessKeepGoing() {
    TestWorkspace t = new TestWorkspace(root, executor(0));
    RunReport report = new AutoRun(t.workspace).run(t.workspace.catalog().load("demo"), false);
    assertThat(report.passed()).isFalse();
    assertThat(Summary.line(report, plain)).isEqualTo("✘ step 2 \"Enroll & check\" failed: 1 of 2 checks");
    assertThat(t.out.toString()).contains("✘ curl is denied").contains("expected exit code 56, got 0");
  }

  @Test
  void summaryCountsSkippedSteps() {
    TestWorkspace t = new TestWorkspace(root, new FakeExecutor(s -> ExecResult.of(0, "", "")));
    RunReport report = new AutoRun(t.workspace).run(t.workspace.catalog().load("demo"), false);
    assertThat(report.steps().get(1).skipped()).isTrue();
    assertThat(Summary.line(report, plain)).isEqualTo("✘ step 1 \"Deploy\" failed: 1 of 1 check; 1 step not run");
    RunReport all = new AutoRun(t.workspace).run(t.workspace.catalog().load("demo"), true);
    assertThat(all.steps()).noneMatch(StepReport::skipped);
    assertThat(Summary.line(all, plain)).endsWith("(2 of 2 steps failed)");
  }

  @Test
  void junitXmlHasOneSuitePerWorkshopAndOneCasePerCheck() throws Exception {
    TestWorkspace t = new TestWorkspace(root, executor(0));
    RunReport failed = new AutoRun(t.workspace).run(t.workspace.catalog().load("demo"), false);
    TestWorkspace u = new TestWorkspace(root.resolve("u"), new FakeExecutor(s -> ExecResult.of(0, "", "")));
    RunReport stopped = new AutoRun(u.workspace).run(u.workspace.catalog().load("demo"), false);
    String xml = JUnitXml.render(List.of(failed, stopped));

    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    NodeList suites = doc.getElementsByTagName("testsuite");
    assertThat(suites.getLength()).isEqualTo(2);
    Element first = (Element) suites.item(0);
    assertThat(first.getAttribute("name")).isEqualTo("01-demo");
    assertThat(first.getAttribute("tests")).isEqualTo("3");
    assertThat(first.getAttribute("failures")).isEqualTo("1");
    NodeList cases = first.getElementsByTagName("testcase");
    Element denied = (Element) cases.item(2);
    assertThat(denied.getAttribute("classname")).isEqualTo("01-demo.enroll");
    assertThat(denied.getAttribute("name")).isEqualTo("curl is denied");
    Element failure = (Element) denied.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("message")).isEqualTo("expected exit code 56, got 0 — hint: Check the "
        + "<policy> & its \"selector\". (after 1 attempt)");
    assertThat(failure.getTextContent()).contains("body").contains("$ meshctl exec");
    Element second = (Element) suites.item(1);
    assertThat(second.getAttribute("skipped")).isEqualTo("2");
    assertThat(second.getElementsByTagName("skipped").getLength()).isEqualTo(2);
  }
}
