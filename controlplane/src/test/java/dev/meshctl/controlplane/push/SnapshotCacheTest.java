package dev.meshctl.controlplane.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SnapshotCacheTest {

  @Test
  void setWakesOnlyThatKeysWatchersUntilClosed() throws Exception {
    SnapshotCache cache = new SnapshotCache();
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    AutoCloseable watchA = cache.watch("a", a::incrementAndGet);
    cache.watch("b", b::incrementAndGet);

    cache.set("a", Snapshot.empty());
    assertThat(a).hasValue(1);
    assertThat(b).hasValue(0);
    assertThat(cache.get("a")).contains(Snapshot.empty());
    assertThat(cache.get("b")).isEmpty();

    watchA.close();
    cache.set("a", Snapshot.empty());
    assertThat(a).hasValue(1);
    assertThat(cache.keys()).containsExactly("a");
    cache.clear("a");
    assertThat(cache.get("a")).isEmpty();
  }

  @Test
  void aFailingWatcherDoesNotStopOthers() {
    SnapshotCache cache = new SnapshotCache();
    AtomicInteger ok = new AtomicInteger();
    cache.watch("a", () -> {
      throw new IllegalStateException("boom");
    });
    cache.watch("a", ok::incrementAndGet);
    cache.set("a", Snapshot.empty());
    assertThat(ok).hasValue(1);
  }
}
