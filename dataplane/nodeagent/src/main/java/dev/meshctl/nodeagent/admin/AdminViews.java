package dev.meshctl.nodeagent.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.config.ConfigState;
import dev.meshctl.nodeagent.config.SourceStatus;
import dev.meshctl.nodeagent.identity.CertificateStatus;
import dev.meshctl.nodeagent.identity.EnrolledIdentities;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Renders the admin views as JSON from the agent's current facts: {@code /config_dump}, {@code /certs} (never key
 * material), {@code /workloads} and {@code /connections}. Pure: no sockets, so each view is tested directly.
 */
public final class AdminViews {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .registerModule(new SimpleModule("time-as-text")
          .addSerializer(Instant.class, ToStringSerializer.instance)
          .addSerializer(Duration.class, ToStringSerializer.instance));
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

  private static final Map<String, String> SECTIONS = Map.of(
      TypeUrls.WORKLOAD, "workloads",
      TypeUrls.SERVICE, "services",
      TypeUrls.AUTHORIZATION, "authorizations",
      TypeUrls.WAYPOINT, "waypoints");

  /** What the views read; each call returns the current value. */
  public interface Facts {
    /** Returns this node's name. */
    String nodeName();

    /** Returns the trust domain of identities that name none. */
    String trustDomain();

    /** Returns the last good config. */
    ConfigState config();

    /** Returns the config source's sync state. */
    SourceStatus source();

    /** Returns the local identities' certificate states. */
    List<CertificateStatus> certificates();

    /** Returns the trust bundle's roots (empty before the first certificate). */
    List<X509Certificate> trustRoots();

    /** Returns the open connections as serializable values (records, maps, lists). */
    Object connections();
  }

  private final Facts facts;

  /** Creates views over {@code facts}. */
  public AdminViews(Facts facts) {
    this.facts = Objects.requireNonNull(facts, "facts");
  }

  /** Returns the routes to serve on the admin endpoint. */
  public Map<String, Supplier<Response>> routes() {
    return Map.of(
        "/config_dump", () -> Response.json(200, configDump()),
        "/certs", () -> Response.json(200, certs()),
        "/workloads", () -> Response.json(200, workloads()),
        "/connections", () -> Response.json(200, connections()));
  }

  /** Renders the config: sync state plus every resource as the protos' JSON. */
  public String configDump() {
    ObjectNode root = JSON.createObjectNode();
    root.put("node", facts.nodeName());
    root.set("source", JSON.valueToTree(facts.source()));
    ConfigState config = facts.config();
    ObjectNode resources = root.putObject("resources");
    for (String type : TypeUrls.NODE_AGENT_TYPES) {
      ArrayNode list = resources.putArray(SECTIONS.getOrDefault(type, type));
      new TreeMap<>(config.entries(type)).forEach((name, entry) -> {
        ObjectNode item = list.addObject();
        item.put("name", name);
        item.put("version", entry.version());
        TypeUrls.defaultInstance(type).ifPresent(prototype -> {
          try {
            Message message = prototype.getParserForType().parseFrom(entry.resource().getValue());
            item.set("resource", parse(PRINTER.print(message)));
          } catch (InvalidProtocolBufferException e) {
            item.put("error", "does not decode: " + e.getMessage());
          }
        });
      });
    }
    return write(root);
  }

  /** Renders the local certificates and the trust bundle; there is no field that could hold a key. */
  public String certs() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode certs = root.putArray("certificates");
    for (CertificateStatus status : facts.certificates()) {
      ObjectNode c = certs.addObject();
      c.put("identity", status.identity());
      c.put("state", status.state().name());
      c.put("serial", status.serial());
      c.put("notBefore", text(status.notBefore()));
      c.put("notAfter", text(status.notAfter()));
      c.put("nextRequest", text(status.renewAt()));
      c.put("lastError", status.lastError());
    }
    ArrayNode roots = root.putArray("trustBundle");
    for (X509Certificate r : facts.trustRoots()) {
      ObjectNode n = roots.addObject();
      n.put("subject", r.getSubjectX500Principal().getName());
      n.put("serial", r.getSerialNumber().toString(16));
      n.put("notAfter", r.getNotAfter().toInstant().toString());
    }
    return write(root);
  }

  /** Renders the workloads on this node and in the whole mesh, with their protocol (HBONE when captured). */
  public String workloads() {
    List<Workload> all = facts.config().resources(Workload.class).values().stream()
        .sorted(Comparator.comparing(Workload::getNamespace).thenComparing(Workload::getName)
            .thenComparing(Workload::getUid))
        .toList();
    ObjectNode root = JSON.createObjectNode();
    root.put("node", facts.nodeName());
    ArrayNode local = root.putArray("local");
    ArrayNode everywhere = root.putArray("all");
    for (Workload w : all) {
      ObjectNode row = row(w);
      everywhere.add(row);
      if (w.getNode().equals(facts.nodeName())) {
        local.add(row.deepCopy());
      }
    }
    return write(root);
  }

  /** Renders the open connections as the traffic path reports them. */
  public String connections() {
    ObjectNode root = JSON.createObjectNode();
    root.set("connections", JSON.valueToTree(facts.connections()));
    return write(root);
  }

  private ObjectNode row(Workload w) {
    ObjectNode row = JSON.createObjectNode();
    row.put("namespace", w.getNamespace());
    row.put("name", w.getName());
    row.put("uid", w.getUid());
    row.put("address", String.join(",", w.getAddressesList()));
    row.put("node", w.getNode());
    row.put("waypoint", w.hasWaypoint() ? w.getWaypoint().getAddress() : "");
    row.put("protocol", w.getTunnelProtocol() == TunnelProtocol.HBONE ? "HBONE" : "TCP");
    String identity;
    try {
      identity = EnrolledIdentities.identityOf(w, facts.trustDomain()).toString();
    } catch (RuntimeException e) {
      identity = "";
    }
    row.put("identity", identity);
    return row;
  }

  private static String text(Instant instant) {
    return instant == null ? "" : instant.toString();
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("BUG: the protobuf JSON printer wrote invalid JSON", e);
    }
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("BUG: cannot write JSON: " + e.getMessage(), e);
    }
  }
}
