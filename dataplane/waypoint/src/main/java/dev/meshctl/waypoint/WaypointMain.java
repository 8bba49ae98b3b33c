package dev.meshctl.waypoint;

import dev.meshctl.api.discovery.Node;
import dev.meshctl.api.discovery.ProxyType;
import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.core.config.ConfigClient;
import dev.meshctl.core.identity.CaClient;
import dev.meshctl.core.identity.Pem;
import dev.meshctl.core.identity.SpiffeId;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a waypoint in production: its certificate from the mesh CA, its config from the control plane (node
 * {@code waypoint~<ns>/<name>}), and only then HBONE on 15008, metrics on 15020 and readiness on 15021, so a
 * listening readiness port means the waypoint can serve.
 */
public final class WaypointMain {

    private static final Logger log = LoggerFactory.getLogger(WaypointMain.class);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private WaypointMain() {
    }

    /** Runs until the process is stopped; exits 2 on bad settings, 1 when it cannot start. */
    public static void main(String[] args) {
        WaypointSettings settings;
        try {
            settings = WaypointSettings.parse(List.of(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("waypoint: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(settings);
        } catch (Exception e) {
            log.error("waypoint {}/{} stopped: {}", settings.namespace(), settings.name(), e.getMessage(), e);
            System.exit(1);
        }
    }

    /** Runs the waypoint described by {@code settings} until interrupted. */
    public static void run(WaypointSettings settings) throws IOException, InterruptedException {
        Objects.requireNonNull(settings, "settings");
        String token = readToken(settings);
        ManagedChannel managed = openChannel(settings);
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        Channel channel = ClientInterceptors.intercept(managed, MetadataUtils.newAttachHeadersInterceptor(headers));
        CaClient ca = new CaClient(managed, token, Clock.systemUTC());
        SpiffeId id = SpiffeId.parse(settings.identity());
        Node node = Node.newBuilder().setId(settings.nodeId()).setType(ProxyType.WAYPOINT)
                .setNodeName(System.getenv().getOrDefault("NODE_NAME", "")).build();
        CountDownLatch stop = new CountDownLatch(1);
        try (WaypointIdentity identity = WaypointIdentity.start(id, ca::fetchWithBundle, Clock.systemUTC());
             ConfigClient config = ConfigClient.builder(node, channel).typeUrls(TypeUrls.WAYPOINT_TYPES).build()) {
            config.start();
            log.info("waypoint {}/{}: waiting for the certificate of {} and config from {}", settings.namespace(),
                    settings.name(), id, settings.controlPlane());
            while (!identity.awaitCertificate(Duration.ofSeconds(10))) {
                log.warn("waypoint {}/{}: still no certificate: {}", settings.namespace(), settings.name(),
                        identity.lastError());
            }
            while (!config.awaitSynced(Duration.ofSeconds(10))) {
                log.warn("waypoint {}/{}: still no config from {}", settings.namespace(), settings.name(),
                        settings.controlPlane());
            }
            InetSocketAddress any = new InetSocketAddress(0);
            WaypointOptions options = new WaypointOptions(settings.namespace(), settings.name(), id.toString(),
                    identity, Optional.empty(), config::current,
                    new InetSocketAddress(any.getAddress(), WaypointOptions.HBONE_PORT), WaypointOptions.HBONE_PORT,
                    Optional.of(new InetSocketAddress(any.getAddress(), WaypointOptions.METRICS_PORT)),
                    Optional.of(new InetSocketAddress(any.getAddress(), WaypointOptions.READINESS_PORT)),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            try (Waypoint waypoint = Waypoint.start(options)) {
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "waypoint-shutdown"));
                log.info("waypoint {}/{} ready", settings.namespace(), settings.name());
                stop.await();
            }
        } finally {
            managed.shutdownNow();
        }
    }

    private static String readToken(WaypointSettings settings) {
        String token;
        try {
            token = Files.readString(settings.tokenFile(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the waypoint token file " + settings.tokenFile() + ": "
                    + e.getMessage() + "; run `meshctl waypoint apply` to issue one", e);
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException("the waypoint token file " + settings.tokenFile()
                    + " is empty; run `meshctl waypoint apply` to reissue it");
        }
        return token;
    }

    private static ManagedChannel openChannel(WaypointSettings settings) {
        try {
            // Parsed here so a wrong file fails at start, not on every reconnect.
            Pem.decodeCertificates(Pem.read(settings.rootCert()));
            return Grpc.newChannelBuilder(settings.controlPlane(),
                            TlsChannelCredentials.newBuilder().trustManager(settings.rootCert().toFile()).build())
                    .keepAliveTime(30, TimeUnit.SECONDS).keepAliveTimeout(10, TimeUnit.SECONDS)
                    .userAgent("meshctl-waypoint").build();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot use " + settings.rootCert() + " as the mesh root certificate: "
                    + e.getMessage() + "; pass the control plane's root-cert.pem with --root-cert", e);
        }
    }
}
