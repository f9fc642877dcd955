package io.quarkiverse.hangfire.runtime.dashboard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.quarkiverse.hangfire.runtime.registry.JobArguments;

/**
 * Renders stored JSON (arguments, parameter values) for the dashboard, one token at a time: the value of every
 * field or map key with a redacted name, at any depth, becomes {@code "***"} and its scalars are collected as the
 * job's secrets; strings encrypted at rest ({@code "enc:…"}) become {@code "***"}. The input may be a prefix of
 * the stored text cut anywhere (the dashboard reads a bounded prefix): rendering stops there and says so.
 */
final class RedactedJson {

    /**
     * What the dashboard shows of one value: its JSON text, cut at the limit or where the read prefix ended.
     *
     * @param length the length of the whole rendering when it was cut at the limit; null when the input ended
     *        inside the value, so that its length is not known
     */
    record Rendered(String text, boolean cut, Long length) {
    }

    private static final String HIDDEN_JSON = "\"" + Redaction.HIDDEN + "\"";
    private static final String ENCRYPTED = "enc:";

    private final Predicate<String> hides;
    private final Collection<String> secrets;
    private final int limit;
    private String input;

    /**
     * @param hides whether a field or map key's value is redacted
     * @param secrets receives the text of every redacted scalar
     * @param limit the most characters of one rendered value
     */
    RedactedJson(Predicate<String> hides, Collection<String> secrets, int limit) {
        this.hides = hides;
        this.secrets = secrets;
        this.limit = limit;
    }

    /**
     * Each element of a JSON array (the stored arguments), element {@code i} wholly hidden when
     * {@code hiddenElement(i)}. An element cut by the end of the input is returned cut; elements after it are
     * missing. Input that is not a JSON array gives null: the caller shows none of it.
     */
    List<Rendered> elements(String json, java.util.function.IntPredicate hiddenElement) {
        this.input = json;
        List<Rendered> out = new ArrayList<>();
        Out current = null;
        try (JsonParser p = JobArguments.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new JsonEOFException(p, null, "end of input");
                }
                current = new Out(limit);
                if (hiddenElement.test(out.size())) {
                    current.append(Redaction.HIDDEN);
                    collect(p);
                } else {
                    copy(p, current);
                }
                out.add(current.rendered());
                current = null;
            }
            return out;
        } catch (JsonEOFException cutShort) {
            out.add(new Rendered(current == null ? "" : current.text(), true, null));
            return out;
        } catch (IOException notJson) {
            return out.isEmpty() ? null : out;
        }
    }

    /** One JSON value, all of it hidden when {@code hidden}; null when the input is not JSON. */
    Rendered value(String json, boolean hidden) {
        this.input = json;
        Out out = new Out(limit);
        try (JsonParser p = JobArguments.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() == null) {
                return new Rendered("", json.length() > 0, null);
            }
            if (hidden) {
                out.append(Redaction.HIDDEN);
                collect(p);
            } else {
                copy(p, out);
            }
            return out.rendered();
        } catch (JsonEOFException cutShort) {
            return new Rendered(out.text(), true, null);
        } catch (IOException notJson) {
            return null;
        }
    }

    /**
     * The fields of a JSON object whose values are free text (a state's data), each value as text, or as JSON
     * when it is not a string; redacted names give {@code ***}. Stops where the input ends.
     */
    java.util.Map<String, String> fields(String json) {
        this.input = json;
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        try (JsonParser p = JobArguments.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return fields;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (hides.test(name)) {
                    fields.put(name, Redaction.HIDDEN);
                    collect(p);
                } else if (value == JsonToken.VALUE_STRING) {
                    try {
                        fields.put(name, p.getText());
                    } catch (JsonEOFException cutShort) {
                        fields.put(name, partial(p));
                        throw cutShort;
                    }
                } else {
                    Out out = new Out(limit);
                    copy(p, out);
                    fields.put(name, out.text());
                }
            }
        } catch (IOException cutShortOrNotJson) {
            // what was read before is shown
        }
        return fields;
    }

    /** Copies the value at the parser's current token, hiding what must be hidden. */
    private void copy(JsonParser p, Out out) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT -> {
                out.append("{");
                boolean first = true;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    out.append(first ? "\"" : ",\"").append(escape(name)).append("\":");
                    first = false;
                    if (p.nextToken() == null) {
                        throw new JsonEOFException(p, null, "end of input");
                    }
                    if (hides.test(name)) {
                        out.append(HIDDEN_JSON);
                        collect(p);
                    } else {
                        copy(p, out);
                    }
                }
                if (p.currentToken() != JsonToken.END_OBJECT) {
                    throw new JsonEOFException(p, null, "end of input");
                }
                out.append("}");
            }
            case START_ARRAY -> {
                out.append("[");
                boolean first = true;
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new JsonEOFException(p, null, "end of input");
                    }
                    if (!first) {
                        out.append(",");
                    }
                    first = false;
                    copy(p, out);
                }
                out.append("]");
            }
            case VALUE_STRING -> {
                String text;
                try {
                    text = p.getText();
                } catch (JsonEOFException cutShort) {
                    String partial = partial(p);
                    out.append(partial.startsWith(ENCRYPTED) ? HIDDEN_JSON : "\"" + partial);
                    throw cutShort;
                }
                out.append(text.startsWith(ENCRYPTED) ? HIDDEN_JSON : "\"" + escape(text) + "\"");
            }
            default -> out.append(p.getText());
        }
    }

    /** Skips the value at the parser's current token, keeping its scalars as secrets. */
    private void collect(JsonParser p) throws IOException {
        int depth = 0;
        do {
            JsonToken t = p.currentToken();
            if (t == null) {
                throw new JsonEOFException(p, null, "end of input");
            }
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            } else if (t == JsonToken.VALUE_STRING) {
                try {
                    secrets.add(p.getText());
                } catch (JsonEOFException cutShort) {
                    // the start of a secret cut by the end of the input must not show either
                    secrets.add(partial(p));
                    throw cutShort;
                }
            } else if (t.isScalarValue()) {
                secrets.add(p.getText());
            }
        } while (depth > 0 && p.nextToken() != JsonToken.NOT_AVAILABLE);
    }

    /** What the input holds of the string token it ends in, still JSON-escaped. */
    private String partial(JsonParser p) {
        long start = p.currentTokenLocation().getCharOffset();
        return start >= 0 && start + 1 <= input.length() ? input.substring((int) start + 1) : "";
    }

    private static String escape(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }

    /** Rendered text that stops growing at its limit. */
    private static final class Out {
        private final StringBuilder text = new StringBuilder();
        private final int limit;
        boolean cut;
        long total;

        Out(int limit) {
            this.limit = limit;
        }

        Out append(String s) {
            total += s.length();
            if (text.length() + s.length() > limit) {
                text.append(s, 0, limit - text.length());
                cut = true;
            } else if (!cut) {
                text.append(s);
            }
            return this;
        }

        String text() {
            return text.toString();
        }

        Rendered rendered() {
            return new Rendered(text(), cut, cut ? total : null);
        }
    }
}
