package dev.meshctl.workshops.runner;

import dev.meshctl.workshops.check.CheckOutcome;
import dev.meshctl.workshops.model.Check;
import java.io.StringWriter;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes run reports as JUnit XML: one {@code testsuite} per workshop, one {@code testcase} per check (class name
 * {@code <workshop>.<step id>}); a failure's message is the unmet expectation and the hint, its text the probe's
 * output excerpt; checks of steps that never ran are {@code skipped}.
 */
public final class JUnitXml {
  private JUnitXml() {}

  /** Renders {@code reports} as one document ({@code testsuites} holding one suite each). */
  public static String render(List<RunReport> reports) {
    try {
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
      Element suites = doc.createElement("testsuites");
      doc.appendChild(suites);
      for (RunReport report : reports) {
        suites.appendChild(suite(doc, report));
      }
      var transformer = TransformerFactory.newInstance().newTransformer();
      transformer.setOutputProperty(OutputKeys.INDENT, "yes");
      transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
      StringWriter out = new StringWriter();
      transformer.transform(new DOMSource(doc), new StreamResult(out));
      return out.toString();
    } catch (ParserConfigurationException | TransformerException e) {
      throw new IllegalStateException("BUG: the JDK cannot build XML: " + e.getMessage(), e);
    }
  }

  private static Element suite(Document doc, RunReport report) {
    Element suite = doc.createElement("testsuite");
    String name = report.workshop().name();
    suite.setAttribute("name", name);
    int tests = 0;
    int failures = 0;
    int skipped = 0;
    for (StepReport step : report.steps()) {
      String className = name + "." + step.step().id();
      if (step.skipped()) {
        for (Check check : step.step().checks()) {
          Element tc = testcase(doc, className, check.name());
          tc.appendChild(doc.createElement("skipped"));
          suite.appendChild(tc);
          tests++;
          skipped++;
        }
        continue;
      }
      for (CheckOutcome outcome : step.checks()) {
        Element tc = testcase(doc, className, outcome.check().name());
        tests++;
        if (!outcome.passed()) {
          failures++;
          Element failure = doc.createElement("failure");
          failure.setAttribute("message", message(outcome));
          failure.setAttribute("type", "CheckFailed");
          failure.setTextContent(outcome.excerpt());
          tc.appendChild(failure);
        }
        suite.appendChild(tc);
      }
    }
    suite.setAttribute("tests", Integer.toString(tests));
    suite.setAttribute("failures", Integer.toString(failures));
    suite.setAttribute("errors", "0");
    suite.setAttribute("skipped", Integer.toString(skipped));
    return suite;
  }

  private static Element testcase(Document doc, String className, String name) {
    Element tc = doc.createElement("testcase");
    tc.setAttribute("classname", className);
    tc.setAttribute("name", name);
    return tc;
  }

  static String message(CheckOutcome outcome) {
    String failures = String.join("; ", outcome.failures());
    String hint = outcome.check().hint();
    return failures + (hint.isEmpty() ? "" : " — hint: " + hint.replaceAll("\\s+", " "))
        + " (after " + outcome.attempts() + " attempt" + (outcome.attempts() == 1 ? "" : "s") + ")";
  }
}
