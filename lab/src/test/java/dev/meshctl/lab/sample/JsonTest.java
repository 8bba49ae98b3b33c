package dev.meshctl.lab.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void writesNestedValuesInOrder() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("s", "quote \" and \\ and é");
        value.put("n", 7);
        value.put("big", 1L << 40);
        value.put("b", true);
        value.put("none", null);
        value.put("list", List.of(1, "two", Map.of("k", "v")));
        value.put("raw", new Json.Raw("{\"x\":[1,2]}"));

        String json = new String(Json.write(value), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"s\":\"quote \\\" and \\\\ and é\",\"n\":7,\"big\":1099511627776,\"b\":true,"
                + "\"none\":null,\"list\":[1,\"two\",{\"k\":\"v\"}],\"raw\":{\"x\":[1,2]}}");
    }

    @Test
    void refusesTypesItDoesNotKnow() {
        assertThatThrownBy(() -> Json.write(Map.of("x", Arrays.asList(new Object()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BUG: cannot write java.lang.Object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", " {\"a\": {\"b\": [1, 2]}} ", "[1]", "\"text\"", "3"})
    void acceptsOneJsonValue(String text) {
        assertThat(Json.isJson(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "{", "{}x", "{} {}", "RBAC: access denied", "<html></html>"})
    void refusesAnythingElse(String text) {
        assertThat(Json.isJson(text)).isFalse();
    }
}
