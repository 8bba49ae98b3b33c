package dev.meshctl.lab.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessTableTest {

  @Test
  void parsesListeningSocketsOnly() {
    List<String> lines = List.of(
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
        "   0: 00000000:2378 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1",
        "   1: 0100007F:1F90 0100007F:D3A2 01 00000000:00000000 00:00000000 00000000     0        0 2 1");

    assertThat(ProcessTable.parseListening(lines)).containsExactly(9080);
  }

  @Test
  void knowsThisProcessAndRejectsAWrongStartTime() {
    long pid = ProcessHandle.current().pid();
    long start = ProcessTable.startTime(pid).orElseThrow();

    assertThat(ProcessTable.alive(pid, start)).isTrue();
    assertThat(ProcessTable.alive(pid, start + 1)).isFalse();
    assertThat(ProcessTable.alive(0, start)).isFalse();
  }
}
