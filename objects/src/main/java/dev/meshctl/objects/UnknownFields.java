package dev.meshctl.objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds fields the model did not recognise.
 *
 * <p>fabric8 models keep unknown fields in {@code additionalProperties} instead of failing, which would let a
 * misspelt or mis-indented field be ignored silently; this walks the decoded object graph and reports each one.
 */
final class UnknownFields {
  /** One unknown field: its full path and the names that would have been accepted in its place. */
  record Unknown(String path, String name, List<String> known) {
    String message() {
      return "unknown field \"" + name + "\" (check spelling and indentation); known fields here: "
          + String.join(", ", known);
    }
  }

  private static final Map<Class<?>, Map<String, Method>> PROPERTIES = new ConcurrentHashMap<>();

  private UnknownFields() {}

  /** Lists every unknown field under {@code root}, whose own path is {@code prefix} (may be empty). */
  static List<Unknown> find(Object root, String prefix) {
    List<Unknown> found = new ArrayList<>();
    walk(root, prefix, found);
    return found;
  }

  private static void walk(Object value, String path, List<Unknown> found) {
    if (value == null) {
      return;
    }
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), FieldPath.index(path, i), found);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, FieldPath.child(path, String.valueOf(k)), found));
      return;
    }
    if (value instanceof Collection<?> || !isModel(value.getClass())) {
      return;
    }
    Map<String, Method> properties = properties(value.getClass());
    if (value instanceof io.fabric8.kubernetes.api.model.KubernetesResource) {
      Object extra = invoke(additionalPropertiesGetter(value.getClass()), value);
      if (extra instanceof Map<?, ?> unknown) {
        List<String> known = List.copyOf(properties.keySet());
        unknown.keySet().forEach(k ->
            found.add(new Unknown(FieldPath.child(path, String.valueOf(k)), String.valueOf(k), known)));
      }
    }
    properties.forEach((name, getter) -> walk(invoke(getter, value), FieldPath.child(path, name), found));
  }

  private static boolean isModel(Class<?> type) {
    String name = type.getName();
    return name.startsWith("io.fabric8.kubernetes.api.model.") || name.startsWith("dev.meshctl.objects.");
  }

  private static Map<String, Method> properties(Class<?> type) {
    return PROPERTIES.computeIfAbsent(type, UnknownFields::introspect);
  }

  // Property names come from @JsonProperty (fabric8's generated getters all carry it) or record components.
  private static Map<String, Method> introspect(Class<?> type) {
    Map<String, Method> properties = new LinkedHashMap<>();
    if (type.isRecord()) {
      for (RecordComponent component : type.getRecordComponents()) {
        properties.put(component.getName(), component.getAccessor());
      }
      return properties;
    }
    for (Method method : type.getMethods()) {
      JsonProperty annotation = method.getAnnotation(JsonProperty.class);
      if (annotation == null || method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())
          || method.getReturnType() == void.class) {
        continue;
      }
      String name = annotation.value().isEmpty() ? beanName(method.getName()) : annotation.value();
      properties.putIfAbsent(name, method);
    }
    return properties;
  }

  private static Method additionalPropertiesGetter(Class<?> type) {
    try {
      return type.getMethod("getAdditionalProperties");
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static String beanName(String getter) {
    String bare = getter.startsWith("get") ? getter.substring(3) : getter.startsWith("is") ? getter.substring(2)
        : getter;
    return bare.isEmpty() ? getter : Character.toLowerCase(bare.charAt(0)) + bare.substring(1);
  }

  private static Object invoke(Method getter, Object target) {
    if (getter == null) {
      return null;
    }
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("BUG: cannot read " + getter + " while checking for unknown fields", e);
    }
  }
}
