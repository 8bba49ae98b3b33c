package dev.meshctl.objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Owns the one YAML mapping used everywhere objects are read or written, so that what the store writes reads back
 * as an equal object.
 *
 * <p>fabric8 8 models are annotated for Jackson 3, hence {@code tools.jackson}.
 */
public final class ObjectYaml {
  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      // kubectl rejects duplicate keys; silently keeping the last one hides copy-paste mistakes.
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
      // Keeps "8080" a string (Istio ports are strings) and "true" a string label value on read-back.
      .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
      .build();

  private ObjectYaml() {}

  /** Returns the shared mapper; it is immutable. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Writes one object as a YAML document (no leading {@code ---}). */
  public static String write(HasMetadata object) {
    Objects.requireNonNull(object, "object");
    return MAPPER.writeValueAsString(object);
  }

  /** Returns a deep copy of {@code object}, made by a YAML round trip. */
  public static <T extends HasMetadata> T copy(T object) {
    Objects.requireNonNull(object, "object");
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) object.getClass();
    return MAPPER.convertValue(object, type);
  }
}
