package dev.meshctl.lab.sample;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Holds a finished answer: status, content type and body bytes.
 *
 * @param status      the HTTP status code
 * @param contentType the {@code content-type} header value
 * @param body        the body; not copied, never modified after construction
 */
record SampleResponse(int status, String contentType, byte[] body) {

    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";

    SampleResponse {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /** Creates a JSON answer from already serialized bytes. */
    static SampleResponse json(int status, byte[] body) {
        return new SampleResponse(status, JSON, body);
    }

    /** Creates a plain-text answer. */
    static SampleResponse text(int status, String body) {
        return new SampleResponse(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }
}
