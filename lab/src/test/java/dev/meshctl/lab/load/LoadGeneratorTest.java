package dev.meshctl.lab.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.lab.sample.SampleApp;
import dev.meshctl.lab.sample.SampleAppConfig;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

  @Test
  void measuresEveryRequestAgainstARealServer() throws Exception {
    try (SampleApp app = SampleApp.start(SampleAppConfig.fromEnvironment(Map.of(
        "BIND_ADDRESS", "127.0.0.1", "PORT", "0")))) {
      LoadGenerator.Report r = LoadGenerator.run(new LoadGenerator.Settings(
          URI.create("http://127.0.0.1:" + app.port() + "/anything"), 200, 2, 0.5, 1024));
      assertThat(r.errors()).isZero();
      assertThat(r.requests()).isEqualTo(100);
      assertThat(r.p50()).isPositive().isLessThanOrEqualTo(r.p90());
      assertThat(r.p90()).isLessThanOrEqualTo(r.p99());
      assertThat(r.p99()).isLessThanOrEqualTo(r.max());
      assertThat(r.json()).contains("\"requests\":100");
    }
  }

  @Test
  void buildsAPostWithTheRequestedBody() {
    String req = new String(LoadGenerator.request(URI.create("http://h:8000/x"), 5));
    assertThat(req).startsWith("POST /x HTTP/1.1\r\nHost: h:8000\r\n").contains("Content-Length: 5\r\n")
        .endsWith("\r\n\r\nxxxxx");
  }
}
