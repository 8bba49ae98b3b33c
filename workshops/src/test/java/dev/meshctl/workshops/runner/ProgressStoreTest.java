package dev.meshctl.workshops.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressStoreTest {
  @TempDir
  Path home;

  @Test
  void keepsProgressOutsideTheLabUntilItIsUpThenMovesIn() throws Exception {
    Path labDir = home.resolve("labs/demo");
    Path fallback = home.resolve("workshops/demo.json");
    AtomicBoolean up = new AtomicBoolean(false);
    ProgressStore store = new ProgressStore(labDir, fallback, up::get);
    assertThat(store.load()).isEqualTo(Progress.EMPTY);

    Progress p = Progress.EMPTY.with("01-ambient-basics", WorkshopProgress.START.pass("lab", Map.of("pids", "a 1")));
    assertThat(store.save(p)).isEqualTo(fallback);
    assertThat(new ProgressStore(labDir, fallback, up::get).load()).isEqualTo(p);

    Files.createDirectories(labDir);
    up.set(true);
    Progress later = p.with("01-ambient-basics", p.of("01-ambient-basics").at(1));
    assertThat(store.save(later)).isEqualTo(labDir.resolve("workshops.json"));
    assertThat(fallback).doesNotExist();
    Progress back = new ProgressStore(labDir, fallback, up::get).load();
    assertThat(back.active()).isEqualTo("01-ambient-basics");
    assertThat(back.of("01-ambient-basics")).isEqualTo(new WorkshopProgress(1, List.of("lab"), Map.of("pids", "a 1")));
  }

  @Test
  void aDamagedFileSaysHowToRecover() throws Exception {
    Path fallback = home.resolve("workshops/demo.json");
    Files.createDirectories(fallback.getParent());
    Files.writeString(fallback, "{not json");
    assertThatThrownBy(() -> new ProgressStore(home.resolve("labs/demo"), fallback, () -> false).load())
        .hasMessageContaining(fallback.toString()).hasMessageContaining("meshctl workshop reset");
  }

  @Test
  void passingTwiceRecordsTheStepOnce() {
    WorkshopProgress p = WorkshopProgress.START.pass("a", Map.of()).pass("a", Map.of("k", "v"));
    assertThat(p.passed()).containsExactly("a");
    assertThat(p.saved()).containsEntry("k", "v");
    assertThat(Progress.EMPTY.of("x")).isEqualTo(WorkshopProgress.START);
  }
}
