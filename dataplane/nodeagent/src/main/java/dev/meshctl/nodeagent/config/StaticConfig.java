package dev.meshctl.nodeagent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.meshctl.api.discovery.Resource;
import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Waypoint;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.config.ConfigState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads a static mesh config: a YAML file with {@code workloads:}, {@code services:}, {@code authorizations:} and
 * {@code waypoints:} lists whose entries use the protos' JSON field names ({@code serviceAccount} or
 * {@code service_account}). The result is checked like config from the control plane.
 *
 * <pre>{@code
 * workloads:
 * - uid: default/curl-1
 *   name: curl-1
 *   namespace: default
 *   node: node-1
 *   addresses: [10.244.1.5]
 *   serviceAccount: curl
 *   tunnelProtocol: HBONE
 * }</pre>
 */
public final class StaticConfig {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();

  /** The version every static resource gets: the file is the only source, so content decides. */
  private static final String VERSION_PREFIX = "static-";

  private static final List<Kind<?>> KINDS = List.of(
      new Kind<Workload>("workloads", Workload::newBuilder, StaticConfig::workloadName),
      new Kind<Service>("services", Service::newBuilder, s -> required(s.getNamespace(), "namespace") + "/"
          + required(s.getHostname(), "hostname")),
      new Kind<Authorization>("authorizations", Authorization::newBuilder, a -> qualified(a.getNamespace(), a.getName())),
      new Kind<Waypoint>("waypoints", Waypoint::newBuilder, w -> qualified(w.getNamespace(), w.getName())));

  private StaticConfig() {
  }

  /**
   * Reads and checks {@code file}.
   *
   * @throws StaticConfigException naming the file, the list entry and the field that is wrong
   */
  public static ConfigState read(Path file) {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StaticConfigException("cannot read static config " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses and checks YAML text; {@code source} names it in errors.
   *
   * @throws StaticConfigException naming the source, the list entry and the field that is wrong
   */
  public static ConfigState parse(String yaml, String source) {
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(source, "source");
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new StaticConfigException(source + ": not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = JSON.createObjectNode();
    }
    if (!root.isObject()) {
      throw new StaticConfigException(source + ": the top level must be a mapping with workloads:, services:,"
          + " authorizations: and waypoints: lists");
    }
    Set<String> known = new HashSet<>();
    KINDS.forEach(k -> known.add(k.key));
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new StaticConfigException(source + ": unknown top-level key '" + key + "'; expected one of " + known);
      }
    }
    ConfigState state = ConfigState.empty();
    for (Kind<?> kind : KINDS) {
      state = state.apply(kind.typeUrl(), kind.parse(root.get(kind.key), source), List.of());
    }
    try {
      NodeAgentConfigValidator.check(state);
    } catch (IllegalArgumentException e) {
      throw new StaticConfigException(source + ": " + e.getMessage(), e);
    }
    return state;
  }

  private static String workloadName(Workload w) {
    return required(w.getUid(), "uid");
  }

  private static String qualified(String namespace, String name) {
    required(name, "name");
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }

  private static String required(String value, String field) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("field '" + field + "' is required");
    }
    return value;
  }

  /** One top-level list: its key, how to build its messages and how to name them. */
  private record Kind<T extends Message>(String key, Supplier<Message.Builder> builders, Function<T, String> namer) {

    String typeUrl() {
      return TypeUrls.of(builders.get().getDefaultInstanceForType());
    }

    @SuppressWarnings("unchecked")
    List<Resource> parse(JsonNode list, String source) {
      List<Resource> out = new ArrayList<>();
      if (list == null || list.isNull()) {
        return out;
      }
      if (!list.isArray()) {
        throw new StaticConfigException(source + ": '" + key + "' must be a list");
      }
      Map<String, Integer> seen = new LinkedHashMap<>();
      for (int i = 0; i < list.size(); i++) {
        String where = source + ": " + key + "[" + i + "]";
        JsonNode item = list.get(i);
        if (!item.isObject()) {
          throw new StaticConfigException(where + ": must be a mapping of fields");
        }
        Message.Builder builder = builders.get();
        try {
          PARSER.merge(JSON.writeValueAsString(item), builder);
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
          throw new StaticConfigException(where + ": " + e.getMessage(), e);
        }
        T message = (T) builder.build();
        String name;
        try {
          name = namer.apply(message);
        } catch (IllegalArgumentException e) {
          throw new StaticConfigException(where + ": " + e.getMessage(), e);
        }
        Integer previous = seen.put(name, i);
        if (previous != null) {
          throw new StaticConfigException(where + ": '" + name + "' is already defined by " + key + "[" + previous
              + "]");
        }
        out.add(Resource.newBuilder().setName(name)
            .setVersion(VERSION_PREFIX + Integer.toHexString(message.hashCode()))
            .setResource(TypeUrls.pack(message)).build());
      }
      return out;
    }
  }
}
