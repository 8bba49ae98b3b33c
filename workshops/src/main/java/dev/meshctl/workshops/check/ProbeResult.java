package dev.meshctl.workshops.check;

import java.util.List;

/**
 * What a probe saw.
 *
 * @param exitCode the command's exit code (for {@code http}, curl's; for {@code repeat}, the first non-zero one)
 * @param status the HTTP status for {@code http} probes (0 when no response came), else null
 * @param output the text expectations look at: stdout, the HTTP body, or the selected JSON
 * @param detail what else helps a person: the script that ran and its stderr
 * @param samples one value per run of a {@code repeat} probe, else empty
 */
public record ProbeResult(int exitCode, Integer status, String output, String detail, List<String> samples) {
  public ProbeResult {
    output = output == null ? "" : output;
    detail = detail == null ? "" : detail;
    samples = samples == null ? List.of() : List.copyOf(samples);
  }
}
