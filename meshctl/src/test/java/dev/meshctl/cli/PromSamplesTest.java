package dev.meshctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromSamplesTest {

  private static final String AGENT = """
      # HELP istio_tcp_connections_opened_total Connections opened
      # TYPE istio_tcp_connections_opened_total counter
      istio_tcp_connections_opened_total{connection_security_policy="mutual_tls",reporter="destination",source_workload="curl"} 3.0
      istio_tcp_connections_opened_total{connection_security_policy="mutual_tls",reporter="source",source_workload="curl"} 2.0
      istio_tcp_connections_closed_total{reporter="destination",response_flags="DENY",source_workload="notcurl"} 1.0
      """;
  private static final String WAYPOINT = """
      istio_requests_total{reporter="waypoint",response_code="200",source_workload="curl"} 7.0
      istio_requests_total{reporter="waypoint",response_code="403",source_workload="curl"} 2.0
      istio_request_duration_milliseconds_bucket{le="5.0",response_code="200"} 4.0
      istio_request_duration_milliseconds_count{response_code="200"} 7.0
      garbage line
      """;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int query(String metric, List<String> matchers, boolean sum, String by, Map<String, String> scrapes) {
    return MetricsCommand.query(List.copyOf(scrapes.keySet()), scrapes::get, metric,
        matchers.stream().map(PromSamples.Matcher::parse).toList(), sum, by, false, new PrintWriter(out),
        new PrintWriter(err));
  }

  @Test
  void parsesLabelsAndValuesAndSkipsWhatIsNoSample() {
    List<PromSamples.Sample> s = PromSamples.parse("wp", WAYPOINT);
    assertThat(s).hasSize(4);
    assertThat(s.get(0).labels()).containsEntry("response_code", "200").containsEntry("reporter", "waypoint");
    assertThat(s.get(0).text()).isEqualTo(
        "istio_requests_total{reporter=\"waypoint\",response_code=\"200\",source_workload=\"curl\"} 7");
    assertThat(PromSamples.parse("x", "m{a=\"q\\\"uote\",b=\"2\"} 1").get(0).labels()).containsEntry("a", "q\"uote");
  }

  @Test
  void selectsByNameWithOrWithoutSuffixAndByEveryMatcher() {
    Map<String, String> scrapes = new java.util.LinkedHashMap<>();
    scrapes.put("node-agent/node-1", AGENT);
    scrapes.put("waypoint/default/waypoint-1", WAYPOINT);
    assertThat(query("istio_tcp_connections_opened", List.of("reporter=destination"), true, null, scrapes))
        .isZero();
    assertThat(out.toString().strip()).isEqualTo("3");
  }

  @Test
  void sumsPerLabelValue() {
    assertThat(query("istio_requests_total", List.of("reporter=waypoint"), false, "response_code",
        Map.of("wp", WAYPOINT))).isZero();
    assertThat(out.toString()).isEqualTo("response_code=\"200\" 7\nresponse_code=\"403\" 2\n");
  }

  @Test
  void printsMatchingSeriesUnderTheirSource() {
    query("istio_requests", List.of("response_code=~4.."), false, null, Map.of("wp", WAYPOINT));
    assertThat(out.toString()).isEqualTo("# wp\nistio_requests_total{reporter=\"waypoint\",response_code=\"403\","
        + "source_workload=\"curl\"} 2\n");
  }

  @Test
  void notEqualAndMissingLabels() {
    query("istio_tcp_connections_closed", List.of("response_flags!=-", "missing!~.+"), true, null,
        Map.of("a", AGENT));
    assertThat(out.toString().strip()).isEqualTo("1");
  }

  @Test
  void nothingMatchingSumsToZeroButNoSourceAnsweringFails() {
    assertThat(query("nope", List.of(), true, null, Map.of("a", AGENT))).isZero();
    assertThat(out.toString().strip()).isEqualTo("0");
    Map<String, String> dead = new java.util.HashMap<>();
    dead.put("node-agent/node-1", null);
    assertThat(query("x", List.of(), true, null, dead)).isEqualTo(1);
    assertThat(err.toString()).contains("cannot read the metrics of node-agent/node-1");
  }

  @Test
  void badSelectorsNameTheAcceptedForms() {
    assertThatThrownBy(() -> PromSamples.Matcher.parse("reporter")).hasMessageContaining("LABEL=VALUE");
    assertThatThrownBy(() -> PromSamples.Matcher.parse("a=~(")).hasMessageContaining("bad regular expression");
  }
}
