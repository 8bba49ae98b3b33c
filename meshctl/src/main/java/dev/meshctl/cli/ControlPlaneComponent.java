package dev.meshctl.cli;

import dev.meshctl.controlplane.server.ControlPlane;
import dev.meshctl.controlplane.server.ControlPlaneOptions;
import dev.meshctl.controlplane.server.MeshTranslation;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the control plane in the foreground until terminated. */
@Command(name = "control-plane", description = "Run the control plane (discovery + CA on one gRPC port).")
final class ControlPlaneComponent implements Callable<Integer> {
  @Option(names = "--state-dir", required = true, description = "CA and bootstrap credentials.")
  Path stateDir;

  @Option(names = "--store", description = "Object store directory to watch (--source file).")
  Path store;

  @Option(names = "--source", defaultValue = "file", description = "Where objects come from: file (the lab's store) or kubernetes.")
  String source;

  @Option(names = "--namespace", defaultValue = "istio-system", description = "The mesh's namespace on Kubernetes.")
  String namespace;

  @Option(names = "--listen", defaultValue = "0.0.0.0:15012", description = "gRPC address (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--debug", defaultValue = "127.0.0.1:15014", description = "Debug HTTP address (default: ${DEFAULT-VALUE}).")
  String debug;

  @Option(names = "--trust-domain", defaultValue = "cluster.local")
  String trustDomain;

  @Option(names = "--server-name", description = "DNS name or IP for the TLS certificate (repeatable).")
  List<String> serverNames = new ArrayList<>();

  @Option(names = "--node", description = "A node that gets a snapshot even without pods (repeatable).")
  List<String> nodes = new ArrayList<>();

  @Option(names = "--ca-cert")
  Path caCert;

  @Option(names = "--ca-key")
  Path caKey;

  @Option(names = "--ca-chain")
  Path caChain;

  @Option(names = "--ca-secret", defaultValue = "meshctl-ca-secret", description = "With --source kubernetes: the"
      + " Secret that keeps the generated root CA across restarts (default: ${DEFAULT-VALUE}); a `cacerts` Secret"
      + " (plug-in CA) wins over it.")
  String caSecret;

  @Override
  public Integer call() throws Exception {
    Optional<ControlPlaneOptions.PluginCa> plugin = caCert == null ? Optional.empty()
        : Optional.of(new ControlPlaneOptions.PluginCa(caCert, caKey, Optional.ofNullable(caChain)));
    ControlPlaneOptions options = new ControlPlaneOptions(stateDir, store == null ? stateDir.resolve("store") : store,
        address(listen), address(debug),
        trustDomain, serverNames, nodes, plugin);
    ControlPlane cp;
    if ("kubernetes".equals(source)) {
      var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().build();
      if (plugin.isEmpty()) {
        // The state dir is an emptyDir: the CA lives in Secrets so a restarted pod keeps the same root.
        options = new ControlPlaneOptions(stateDir, options.storeDir(), options.listen(), options.debug(),
            trustDomain, serverNames, nodes, dev.meshctl.controlplane.kube.KubeCa.prepare(client, namespace, caSecret,
                stateDir, trustDomain, java.time.Clock.systemUTC()));
      }
      var objects = dev.meshctl.controlplane.source.KubernetesSource.start(client, java.time.Duration.ofSeconds(60));
      var tokens = new dev.meshctl.controlplane.kube.TokenReviewAuthenticator(client, namespace, trustDomain);
      cp = new ControlPlane(options, objects, MeshTranslation.forOptions(options)).withAuthenticator(tokens::authenticate)
          .start();
      String rootPem = dev.meshctl.core.identity.Pem.encodeCertificates(cp.ca().trustBundle());
      dev.meshctl.controlplane.kube.RootCertPublisher.publish(client, namespace, rootPem);
      String image = System.getenv("MESHCTL_IMAGE");
      if (image != null && !image.isBlank()) {
        new dev.meshctl.controlplane.kube.WaypointDeployer(client, image, namespace).withRootCert(rootPem)
            .follow(objects);
      }
    } else if ("file".equals(source)) {
      if (store == null) {
        throw new CliException(2, "--source file needs --store DIR");
      }
      cp = new ControlPlane(options,
          new dev.meshctl.controlplane.source.StoreSource(new dev.meshctl.objects.store.ObjectStore(store)),
          MeshTranslation.forOptions(options)).start();
    } else {
      throw new CliException(2, "unknown --source \"" + source + "\": use file or kubernetes");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cp.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      throw new CliException(2, "expected HOST:PORT, got \"" + hostPort + "\"");
    }
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
