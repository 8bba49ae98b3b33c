package dev.meshctl.lab.sample;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes and checks JSON with Jackson's streaming API only: the data-binding layer would cost a pod more
 * start-up time than the whole server. Values are Strings, Numbers, Booleans, null, Maps (in iteration order),
 * Lists, and {@link Raw} text that is already JSON.
 */
final class Json {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** Carries text already known to be one JSON value, written as is. */
    record Raw(String json) {
        Raw {
            Objects.requireNonNull(json, "json");
        }
    }

    private Json() {
    }

    /** Serializes a value tree to UTF-8 bytes. */
    static byte[] write(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException("BUG: writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    /** Tells whether {@code text} is exactly one JSON value (surrounding blanks allowed). */
    static boolean isJson(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void write(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String) {
            generator.writeString((String) value);
        } else if (value instanceof Integer || value instanceof Long) {
            generator.writeNumber(((Number) value).longValue());
        } else if (value instanceof Boolean) {
            generator.writeBoolean((Boolean) value);
        } else if (value instanceof Raw) {
            generator.writeRawValue(((Raw) value).json());
        } else if (value instanceof Map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                generator.writeFieldName(String.valueOf(entry.getKey()));
                write(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof List) {
            generator.writeStartArray();
            for (Object item : (List<?>) value) {
                write(generator, item);
            }
            generator.writeEndArray();
        } else {
            throw new IllegalArgumentException("BUG: cannot write " + value.getClass().getName() + " as JSON");
        }
    }
}
