package dev.meshctl.objects.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreWatcherTest {
  private static final Duration RESCAN = Duration.ofMillis(200);

  @TempDir
  Path root;

  private final BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();

  private StoreEvent next() throws InterruptedException {
    StoreEvent event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("an event within 10 s").isNotNull();
    return event;
  }

  @Test
  void reportsExistingObjectsThenPutModifyDelete() throws Exception {
    ObjectStore store = new ObjectStore(root);
    store.put(ObjectStoreTest.service("existing", 80));

    try (Closeable ignored = store.watch(events::add, RESCAN)) {
      StoreEvent initial = next();
      assertThat(initial.type()).isEqualTo(StoreEvent.Type.ADDED);
      assertThat(initial.object().getMetadata().getName()).isEqualTo("existing");

      Service added = store.put(ObjectStoreTest.service("web", 80));
      StoreEvent addedEvent = next();
      assertThat(addedEvent.type()).isEqualTo(StoreEvent.Type.ADDED);
      assertThat(addedEvent.object()).isEqualTo(added);

      Service modified = store.put(ObjectStoreTest.service("web", 8080));
      StoreEvent modifiedEvent = next();
      assertThat(modifiedEvent.type()).isEqualTo(StoreEvent.Type.MODIFIED);
      assertThat(modifiedEvent.object()).isEqualTo(modified);

      store.delete(Service.class, "default", "web");
      StoreEvent deleted = next();
      assertThat(deleted.type()).isEqualTo(StoreEvent.Type.DELETED);
      assertThat(deleted.object()).isEqualTo(modified);
    }
  }

  @Test
  void seesObjectsInNewNamespaceDirectoriesAndIgnoresTempFiles() throws Exception {
    ObjectStore store = new ObjectStore(root);

    try (Closeable ignored = store.watch(events::add, RESCAN)) {
      Files.createDirectories(root.resolve("services/other"));
      Files.writeString(root.resolve("services/other/.half-written.yaml.tmp"), "apiVersion: v1\nkind: Serv");
      Service service = ObjectStoreTest.service("api", 80);
      service.getMetadata().setNamespace("other");
      Service stored = store.put(service);

      StoreEvent event = next();
      assertThat(event.type()).isEqualTo(StoreEvent.Type.ADDED);
      assertThat(event.object()).isEqualTo(stored);
      assertThat(events.poll(2 * RESCAN.toMillis(), TimeUnit.MILLISECONDS)).as("nothing else").isNull();
    }
  }

  @Test
  void aFailingListenerDoesNotStopTheWatch() throws Exception {
    ObjectStore store = new ObjectStore(root);

    try (Closeable ignored = store.watch(event -> {
      events.add(event);
      throw new IllegalStateException("listener bug");
    }, RESCAN)) {
      store.put(ObjectStoreTest.service("a", 80));
      assertThat(next().object().getMetadata().getName()).isEqualTo("a");
      store.put(ObjectStoreTest.service("b", 80));
      assertThat(next().object().getMetadata().getName()).isEqualTo("b");
    }
  }
}
