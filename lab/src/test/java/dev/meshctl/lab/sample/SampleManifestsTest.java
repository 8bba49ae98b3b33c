package dev.meshctl.lab.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Checks the sample manifests against the fields the lab accepts and against what the sample app expects. */
class SampleManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Field paths the lab reads; array indexes are written {@code []}, label keys {@code *}. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "Namespace", Set.of("apiVersion", "kind", "metadata.name", "metadata.labels.*"),
            "ServiceAccount", Set.of("apiVersion", "kind", "metadata.name", "metadata.namespace"),
            "Service", Set.of("apiVersion", "kind", "metadata.name", "metadata.namespace", "metadata.labels.*",
                    "spec.selector.*", "spec.ports[].name", "spec.ports[].port", "spec.ports[].targetPort",
                    "spec.ports[].protocol", "spec.ports[].appProtocol"),
            "Deployment", Set.of("apiVersion", "kind", "metadata.name", "metadata.namespace", "metadata.labels.*",
                    "spec.replicas", "spec.selector.matchLabels.*", "spec.template.metadata.labels.*",
                    "spec.template.spec.serviceAccountName", "spec.template.spec.containers[].name",
                    "spec.template.spec.containers[].image", "spec.template.spec.containers[].env[].name",
                    "spec.template.spec.containers[].env[].value",
                    "spec.template.spec.containers[].ports[].containerPort",
                    "spec.template.spec.containers[].ports[].name"));

    private static final Pattern LABELS = Pattern.compile("(metadata\\.labels|spec\\.selector(\\.matchLabels)?|"
            + "spec\\.template\\.metadata\\.labels)\\.[^.\\[]+");

    @Test
    void useOnlyFieldsTheLabAccepts() throws IOException {
        for (Path file : List.of(file("bookstore/bookstore.yaml"), file("bookstore/bookstore-versions.yaml"),
                file("curl/curl.yaml"), file("httpbin/httpbin.yaml"))) {
            for (JsonNode doc : documents(file)) {
                String kind = doc.path("kind").asText();
                assertThat(ALLOWED).as("%s: kind %s", file, kind).containsKey(kind);
                Set<String> paths = new TreeSet<>();
                collect(doc, "", paths);
                for (String path : paths) {
                    String general = LABELS.matcher(path).matches() ? path.substring(0, path.lastIndexOf('.')) + ".*" : path;
                    assertThat(ALLOWED.get(kind)).as("%s: %s %s field %s", file, kind, name(doc), path)
                            .contains(general);
                }
            }
        }
    }

    @Test
    void bookstoreHasTheServicesAccountsAndDeploymentsOfBookinfo() throws IOException {
        Map<String, JsonNode> objects = byKindAndName(file("bookstore/bookstore.yaml"));

        assertThat(objects.keySet()).containsExactlyInAnyOrder(
                "Service/details", "Service/ratings", "Service/reviews", "Service/productpage",
                "ServiceAccount/bookinfo-details", "ServiceAccount/bookinfo-ratings",
                "ServiceAccount/bookinfo-reviews", "ServiceAccount/bookinfo-productpage",
                "Deployment/details-v1", "Deployment/ratings-v1", "Deployment/reviews-v1", "Deployment/reviews-v2",
                "Deployment/reviews-v3", "Deployment/productpage-v1");
        for (JsonNode doc : objects.values()) {
            assertThat(doc.at("/metadata/namespace").isMissingNode()).as(name(doc)).isTrue();
            String kind = doc.get("kind").asText();
            if (kind.equals("Service")) {
                JsonNode port = doc.at("/spec/ports/0");
                assertThat(port.get("port").asInt()).isEqualTo(9080);
                assertThat(port.get("name").asText()).isEqualTo("http");
                assertThat(port.get("targetPort").asInt()).isEqualTo(9080);
                assertThat(doc.at("/spec/selector/app").asText()).isEqualTo(name(doc));
            } else if (kind.equals("Deployment")) {
                String app = doc.at("/spec/template/metadata/labels/app").asText();
                SampleAppConfig config = configOf(doc);
                assertThat(doc.at("/spec/replicas").asInt()).isEqualTo(1);
                assertThat(doc.at("/spec/template/spec/serviceAccountName").asText()).isEqualTo("bookinfo-" + app);
                assertThat(doc.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("meshctl/sample-app:0.1.0");
                assertThat(doc.at("/spec/template/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(9080);
                assertThat(config.role().envName()).isEqualTo(app);
                assertThat(config.port()).isEqualTo(9080);
                assertThat(config.service()).isEqualTo(app);
                assertThat(name(doc)).isEqualTo(app + "-" + config.version());
            }
        }
    }

    @Test
    void reviewsVersionsEachSelectOneVersion() throws IOException {
        Map<String, JsonNode> objects = byKindAndName(file("bookstore/bookstore-versions.yaml"));

        assertThat(objects.keySet()).containsExactly("Service/reviews-v1", "Service/reviews-v2", "Service/reviews-v3");
        for (String version : List.of("v1", "v2", "v3")) {
            JsonNode selector = objects.get("Service/reviews-" + version).at("/spec/selector");
            assertThat(selector).isEqualTo(YAML.valueToTree(Map.of("app", "reviews", "version", version)));
        }
    }

    @Test
    void httpbinEchoesOnPort8080BehindPort8000() throws IOException {
        Map<String, JsonNode> objects = byKindAndName(file("httpbin/httpbin.yaml"));

        assertThat(objects.keySet()).containsExactlyInAnyOrder(
                "ServiceAccount/httpbin", "Service/httpbin", "Deployment/httpbin");
        JsonNode port = objects.get("Service/httpbin").at("/spec/ports/0");
        assertThat(port.get("port").asInt()).isEqualTo(8000);
        assertThat(port.get("name").asText()).isEqualTo("http");
        assertThat(port.get("targetPort").asInt()).isEqualTo(8080);
        SampleAppConfig config = configOf(objects.get("Deployment/httpbin"));
        assertThat(config.role()).isEqualTo(SampleRole.ECHO);
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.podLabels()).isEqualTo(Map.of("app", "httpbin", "version", "v1"));
        assertThat(config.service()).isEqualTo("httpbin");
    }

    @Test
    void curlIsAnIdleClient() throws IOException {
        Map<String, JsonNode> objects = byKindAndName(file("curl/curl.yaml"));

        assertThat(objects.keySet()).containsExactlyInAnyOrder("ServiceAccount/curl", "Service/curl", "Deployment/curl");
        assertThat(objects.get("Service/curl").at("/spec/ports/0/port").asInt()).isEqualTo(80);
        JsonNode deployment = objects.get("Deployment/curl");
        assertThat(deployment.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("meshctl/curl:0.1.0");
        assertThat(deployment.at("/spec/template/spec/serviceAccountName").asText()).isEqualTo("curl");
    }

    /** Builds the app's configuration as a pod of this Deployment would see it. */
    private static SampleAppConfig configOf(JsonNode deployment) {
        Map<String, String> env = new LinkedHashMap<>();
        deployment.at("/spec/template/spec/containers/0/env")
                .forEach(var -> env.put(var.get("name").asText(), var.get("value").asText()));
        List<String> labels = new ArrayList<>();
        deployment.at("/spec/template/metadata/labels").properties()
                .forEach(label -> labels.add(label.getKey() + "=" + label.getValue().asText()));
        env.put("POD_LABELS", String.join(",", labels));
        assertThat(deployment.at("/spec/selector/matchLabels"))
                .isEqualTo(deployment.at("/spec/template/metadata/labels"));
        return SampleAppConfig.fromEnvironment(env);
    }

    private static Map<String, JsonNode> byKindAndName(Path file) throws IOException {
        Map<String, JsonNode> objects = new LinkedHashMap<>();
        for (JsonNode doc : documents(file)) {
            assertThat(objects.put(doc.get("kind").asText() + "/" + name(doc), doc)).as("duplicate %s", name(doc)).isNull();
        }
        return objects;
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            it.forEachRemaining(doc -> {
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            });
        }
        assertThat(docs).as(file.toString()).isNotEmpty();
        return docs;
    }

    private static void collect(JsonNode node, String path, Set<String> out) {
        if (node.isObject()) {
            node.properties().forEach(field ->
                    collect(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), out));
        } else if (node.isArray()) {
            node.forEach(item -> collect(item, path + "[]", out));
        } else {
            out.add(path);
        }
    }

    private static String name(JsonNode doc) {
        return doc.at("/metadata/name").asText();
    }

    /** Finds a file under the repository's samples folder, wherever the tests run from. */
    private static Path file(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("samples").resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("samples/" + relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
