package dev.meshctl.nodeagent;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Configures a node agent: which node it serves, where config comes from (the control plane, or a static file), the
 * credentials to reach the control plane, and its ports.
 *
 * <pre>{@code
 * NodeAgentOptions options = NodeAgentOptions.fromArgs(new String[] {
 *     "--node-name", "node-1", "--node-ip", "172.18.0.3", "--control-plane", "172.18.0.2:15012",
 *     "--token-file", "/var/lib/meshctl/node-1.token", "--root-cert", "/var/lib/meshctl/root-cert.pem"});
 * }</pre>
 *
 * @param nodeName the node this agent serves
 * @param nodeIp the node's IP
 * @param controlPlane the control plane's {@code host:port} (xDS mode), empty in static mode
 * @param staticConfig a static config file (static mode), empty in xDS mode
 * @param tokenFile the node's bootstrap token (xDS mode)
 * @param rootCert the mesh root that the control plane's TLS certificate chains to (xDS mode)
 * @param caDir a directory with {@code root-cert.pem} and {@code root-key.pem} to sign certificates locally (static)
 * @param trustDomain the SPIFFE trust domain
 * @param outboundPort the outbound capture listener (15001, on 127.0.0.1)
 * @param inboundPlaintextPort the inbound plaintext listener (15006)
 * @param hbonePort the HBONE listener (15008)
 * @param admin the admin endpoint, loopback only (127.0.0.1:15000)
 * @param metrics the Prometheus endpoint (0.0.0.0:15020)
 * @param readiness the readiness endpoint (0.0.0.0:15021)
 * @param capture whether to program TPROXY capture rules
 * @param lifecycle how the agent takes over from and hands off to other agents of the node, and its certificates'
 *     lifetime
 */
public record NodeAgentOptions(String nodeName, String nodeIp, Optional<String> controlPlane,
    Optional<Path> staticConfig, Optional<Path> tokenFile, Optional<Path> rootCert, Optional<Path> caDir,
    String trustDomain, int outboundPort, int inboundPlaintextPort, int hbonePort, InetSocketAddress admin,
    InetSocketAddress metrics, InetSocketAddress readiness, boolean capture, Lifecycle lifecycle) {

  /**
   * The shortest workload certificate lifetime accepted. The CA backdates notBefore by a minute for clock skew and
   * renewal happens at half of notBefore..notAfter, so a lifetime T renews (T - 1m) / 2 after issue: 30 s at this.
   */
  public static final Duration MIN_WORKLOAD_CERT_TTL = Duration.ofMinutes(2);
  /** The longest workload certificate lifetime accepted (the CA caps lifetimes at 90 days anyway). */
  public static final Duration MAX_WORKLOAD_CERT_TTL = Duration.ofDays(90);
  /** How long a handing-off agent keeps established connections by default: a rolling restart's grace period. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Says how the agent overlaps with other agents of its node during a rolling restart.
   *
   * @param takeOver start as the successor of the running agent: listen next to it (SO_REUSEPORT) and, once ready
   *     (config applied, certificates issued), take ownership of the capture rules and tell it to hand off
   * @param runtimeDir where the owner of the node's capture rules is recorded; empty: this agent always owns them
   * @param drainTimeout how long a handing-off agent keeps established connections before resetting them
   * @param workloadCertTtl the lifetime to ask the CA for; empty for the CA's default (24 h)
   */
  public record Lifecycle(boolean takeOver, Optional<Path> runtimeDir, Duration drainTimeout,
      Optional<Duration> workloadCertTtl) {

    /** Checks that a take-over knows where the owner is recorded and that the durations are in range. */
    public Lifecycle {
      Objects.requireNonNull(runtimeDir, "runtimeDir");
      Objects.requireNonNull(drainTimeout, "drainTimeout");
      Objects.requireNonNull(workloadCertTtl, "workloadCertTtl");
      if (takeOver && runtimeDir.isEmpty()) {
        throw new IllegalArgumentException("--take-over needs --runtime-dir (where the running agent recorded itself)");
      }
      if (drainTimeout.isNegative() || drainTimeout.isZero()) {
        throw new IllegalArgumentException("--drain-timeout must be positive, got " + drainTimeout);
      }
      workloadCertTtl.ifPresent(NodeAgentOptions::checkWorkloadCertTtl);
    }

    /** Returns the defaults: no take-over, no runtime directory, a 30 s drain, the CA's certificate lifetime. */
    public static Lifecycle defaults() {
      return new Lifecycle(false, Optional.empty(), DEFAULT_DRAIN_TIMEOUT, Optional.empty());
    }
  }

  /** Creates options with the default {@link Lifecycle}. */
  public NodeAgentOptions(String nodeName, String nodeIp, Optional<String> controlPlane,
      Optional<Path> staticConfig, Optional<Path> tokenFile, Optional<Path> rootCert, Optional<Path> caDir,
      String trustDomain, int outboundPort, int inboundPlaintextPort, int hbonePort, InetSocketAddress admin,
      InetSocketAddress metrics, InetSocketAddress readiness, boolean capture) {
    this(nodeName, nodeIp, controlPlane, staticConfig, tokenFile, rootCert, caDir, trustDomain, outboundPort,
        inboundPlaintextPort, hbonePort, admin, metrics, readiness, capture, Lifecycle.defaults());
  }

  /**
   * Checks a workload certificate lifetime: at least {@link #MIN_WORKLOAD_CERT_TTL}, at most
   * {@link #MAX_WORKLOAD_CERT_TTL}.
   *
   * @throws IllegalArgumentException saying what is allowed and why
   */
  public static Duration checkWorkloadCertTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.compareTo(MIN_WORKLOAD_CERT_TTL) < 0) {
      throw new IllegalArgumentException("workload certificate TTL " + format(ttl) + " is too short: use at least "
          + format(MIN_WORKLOAD_CERT_TTL) + " (the CA backdates certificates by 1m for clock skew and they renew at"
          + " half-life, so a shorter life would renew almost at once and leave no room to retry)");
    }
    if (ttl.compareTo(MAX_WORKLOAD_CERT_TTL) > 0) {
      throw new IllegalArgumentException("workload certificate TTL " + format(ttl) + " is too long: use at most "
          + format(MAX_WORKLOAD_CERT_TTL) + ", the CA's cap");
    }
    return ttl;
  }

  /**
   * Parses a duration such as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or {@code 1d}; a bare number is
   * seconds.
   *
   * @throws IllegalArgumentException naming {@code option} and the value
   */
  public static Duration parseDuration(String option, String value) {
    Objects.requireNonNull(option, "option");
    Objects.requireNonNull(value, "value");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?").matcher(value.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " '" + value + "' is not a duration such as 500ms, 30s, 2m, 1h or 1d");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofSeconds(n);
    };
  }

  /** Formats a duration the way {@link #parseDuration} reads it. */
  public static String format(Duration d) {
    Objects.requireNonNull(d, "d");
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    if (s != 0 && s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s != 0 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s != 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  /** The usage text printed for bad arguments. */
  public static final String USAGE = String.join("\n",
      "usage: node-agent --node-name NAME --node-ip IP",
      "         (--control-plane HOST:PORT --token-file FILE --root-cert FILE | --static-config FILE --ca-dir DIR)",
      "         [--trust-domain cluster.local] [--capture true|false] [--outbound-port 15001]",
      "         [--inbound-port 15006] [--hbone-port 15008] [--admin 127.0.0.1:15000]",
      "         [--metrics 0.0.0.0:15020] [--readiness 0.0.0.0:15021]",
      "         [--runtime-dir DIR [--take-over true|false]] [--drain-timeout 30s] [--workload-cert-ttl 24h]",
      "The node name and IP default to the NODE_NAME and NODE_IP environment variables.");

  /** Checks that exactly one config source is set with what it needs, and that the admin port stays on loopback. */
  public NodeAgentOptions {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(nodeIp, "nodeIp");
    Objects.requireNonNull(controlPlane, "controlPlane");
    Objects.requireNonNull(staticConfig, "staticConfig");
    Objects.requireNonNull(tokenFile, "tokenFile");
    Objects.requireNonNull(rootCert, "rootCert");
    Objects.requireNonNull(caDir, "caDir");
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(readiness, "readiness");
    Objects.requireNonNull(lifecycle, "lifecycle");
    if (nodeName.isBlank()) {
      throw new IllegalArgumentException("the node name is missing: pass --node-name or set NODE_NAME");
    }
    if (nodeIp.isBlank()) {
      throw new IllegalArgumentException("the node IP is missing: pass --node-ip or set NODE_IP");
    }
    if (controlPlane.isPresent() == staticConfig.isPresent()) {
      throw new IllegalArgumentException("give exactly one of --control-plane HOST:PORT and --static-config FILE");
    }
    if (controlPlane.isPresent()) {
      hostPort("--control-plane", controlPlane.get());
      if (tokenFile.isEmpty()) {
        throw new IllegalArgumentException("--control-plane needs --token-file (the node token `meshctl install` wrote)");
      }
      if (rootCert.isEmpty()) {
        throw new IllegalArgumentException("--control-plane needs --root-cert (the mesh root certificate)");
      }
    }
    if (staticConfig.isPresent() && caDir.isEmpty()) {
      throw new IllegalArgumentException("--static-config needs --ca-dir (a directory with root-cert.pem and"
          + " root-key.pem) so certificates can be issued without a control plane");
    }
    for (int port : new int[] {outboundPort, inboundPlaintextPort, hbonePort}) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is not in 0..65535");
      }
    }
    if (admin.isUnresolved() || !admin.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("the admin endpoint must listen on a loopback address, not " + admin
          + ": it shows the node's config and certificates");
    }
  }

  /** Returns whether config comes from a static file rather than the control plane. */
  public boolean staticMode() {
    return staticConfig.isPresent();
  }

  /**
   * Parses command-line arguments ({@code --name value} or {@code --name=value}); the node name and IP fall back to
   * {@code NODE_NAME} and {@code NODE_IP} in {@code env}.
   *
   * @throws IllegalArgumentException naming the bad argument; the message ends with the usage
   */
  public static NodeAgentOptions fromArgs(String[] args, Map<String, String> env) {
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(env, "env");
    Map<String, String> values = new java.util.LinkedHashMap<>();
    List<String> known = List.of("--node-name", "--node-ip", "--control-plane", "--static-config", "--token-file",
        "--root-cert", "--ca-dir", "--trust-domain", "--capture", "--outbound-port", "--inbound-port", "--hbone-port",
        "--admin", "--metrics", "--readiness", "--take-over", "--runtime-dir", "--drain-timeout",
        "--workload-cert-ttl");
    List<String> rest = new ArrayList<>(List.of(args));
    try {
      for (int i = 0; i < rest.size(); i++) {
        String arg = rest.get(i);
        String name = arg;
        String value;
        int eq = arg.indexOf('=');
        if (eq > 0) {
          name = arg.substring(0, eq);
          value = arg.substring(eq + 1);
        } else if (i + 1 < rest.size()) {
          value = rest.get(++i);
        } else {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        if (!known.contains(name)) {
          throw new IllegalArgumentException("unknown option " + name);
        }
        if (values.put(name, value) != null) {
          throw new IllegalArgumentException(name + " is given twice");
        }
      }
      return new NodeAgentOptions(
          values.getOrDefault("--node-name", env.getOrDefault("NODE_NAME", "")),
          values.getOrDefault("--node-ip", env.getOrDefault("NODE_IP", "")),
          Optional.ofNullable(values.get("--control-plane")),
          Optional.ofNullable(values.get("--static-config")).map(Path::of),
          Optional.ofNullable(values.get("--token-file")).map(Path::of),
          Optional.ofNullable(values.get("--root-cert")).map(Path::of),
          Optional.ofNullable(values.get("--ca-dir")).map(Path::of),
          values.getOrDefault("--trust-domain", "cluster.local"),
          port("--outbound-port", values.getOrDefault("--outbound-port", "15001")),
          port("--inbound-port", values.getOrDefault("--inbound-port", "15006")),
          port("--hbone-port", values.getOrDefault("--hbone-port", "15008")),
          bindAddress("--admin", values.getOrDefault("--admin", "127.0.0.1:15000")),
          bindAddress("--metrics", values.getOrDefault("--metrics", "0.0.0.0:15020")),
          bindAddress("--readiness", values.getOrDefault("--readiness", "0.0.0.0:15021")),
          bool("--capture", values.getOrDefault("--capture", "true")),
          new Lifecycle(bool("--take-over", values.getOrDefault("--take-over", "false")),
              Optional.ofNullable(values.get("--runtime-dir")).map(Path::of),
              parseDuration("--drain-timeout", values.getOrDefault("--drain-timeout",
                  format(DEFAULT_DRAIN_TIMEOUT))),
              Optional.ofNullable(values.get("--workload-cert-ttl"))
                  .map(v -> parseDuration("--workload-cert-ttl", v))));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + "\n" + USAGE, e);
    }
  }

  private static int port(String option, String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " '" + value + "' is not a port number (0-65535)");
  }

  private static boolean bool(String option, String value) {
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException(option + " must be true or false, not '" + value + "'");
  }

  /** Parses {@code host:port} (IPv6 as {@code [::1]:15000}) without resolving the host. */
  static InetSocketAddress hostPort(String option, String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(option + " '" + value + "' is not HOST:PORT");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return InetSocketAddress.createUnresolved(host, port(option, value.substring(colon + 1)));
  }

  /** Parses a {@code host:port} to listen on; a name is resolved here, so a typo fails at start. */
  static InetSocketAddress bindAddress(String option, String value) {
    InetSocketAddress parsed = hostPort(option, value);
    InetSocketAddress resolved = new InetSocketAddress(parsed.getHostString(), parsed.getPort());
    if (resolved.isUnresolved()) {
      throw new IllegalArgumentException(option + " host '" + parsed.getHostString() + "' does not resolve");
    }
    return resolved;
  }
}
