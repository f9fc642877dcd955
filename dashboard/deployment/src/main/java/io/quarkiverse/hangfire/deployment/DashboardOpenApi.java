package io.quarkiverse.hangfire.deployment;

import java.util.Comparator;
import java.util.List;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.FieldInfo;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.MethodParameterInfo;
import org.jboss.jandex.ParameterizedType;
import org.jboss.jandex.RecordComponentInfo;
import org.jboss.jandex.Type;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.hangfire.runtime.dashboard.ApiDoc;
import io.quarkiverse.hangfire.runtime.dashboard.CsrfTokens;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardAccess;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardActions;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardApi;

/**
 * Writes the OpenAPI 3.0 document of the dashboard's JSON API from the resource's Jakarta REST annotations, its
 * {@link ApiDoc}s and the records it answers with, so the document cannot drift from the code. The server URL is
 * left as {@code ${dashboardPath}}, filled in when served.
 */
final class DashboardOpenApi {

    private static final DotName API_DOC = DotName.createSimple(ApiDoc.class);
    private static final DotName GET = DotName.createSimple("jakarta.ws.rs.GET");
    private static final DotName POST = DotName.createSimple("jakarta.ws.rs.POST");
    private static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");
    private static final DotName PATH_PARAM = DotName.createSimple("jakarta.ws.rs.PathParam");
    private static final DotName QUERY_PARAM = DotName.createSimple("jakarta.ws.rs.QueryParam");
    private static final DotName DEFAULT_VALUE = DotName.createSimple("jakarta.ws.rs.DefaultValue");
    private static final DotName JSON_PROPERTY = DotName.createSimple("com.fasterxml.jackson.annotation.JsonProperty");

    private final IndexView index;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ObjectNode schemas = mapper.createObjectNode();

    DashboardOpenApi(IndexView index) {
        this.index = index;
    }

    String write() {
        ObjectNode root = mapper.createObjectNode();
        root.put("openapi", "3.0.3");
        ObjectNode info = root.putObject("info");
        info.put("title", "Quarkus Hangfire dashboard API");
        info.put("version", "1");
        info.put("description", "Reads need a user with a dashboard role or read-only role; actions need a full dashboard"
                + " role and the header " + DashboardAccess.CSRF_HEADER + " carrying the value of the cookie "
                + DashboardAccess.CSRF_COOKIE + ", which GET /api/me sets: a token signed for that user, valid for "
                + CsrfTokens.LIFETIME.toHours() + " hours."
                + " A browser's Origin, when sent, must be the dashboard's own. Errors answer {\"error\": \"...\"}.");
        root.putArray("servers").addObject().put("url", "${dashboardPath}");
        ObjectNode paths = root.putObject("paths");
        List<MethodInfo> methods = java.util.stream.Stream.of(DashboardApi.class, DashboardActions.class)
                .map(index::getClassByName).flatMap(resource -> resource.methods().stream())
                .filter(m -> m.hasDeclaredAnnotation(API_DOC)).sorted(Comparator.comparing(DashboardOpenApi::path)).toList();
        for (MethodInfo method : methods) {
            ObjectNode item = paths.has(path(method)) ? (ObjectNode) paths.get(path(method)) : paths.putObject(path(method));
            item.set(method.hasDeclaredAnnotation(POST) ? "post" : "get", operation(method));
        }
        root.putObject("components").set("schemas", schemas);
        try {
            return mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(MethodInfo method) {
        return "/" + method.annotation(PATH).value().asString();
    }

    private ObjectNode operation(MethodInfo method) {
        AnnotationInstance doc = method.annotation(API_DOC);
        boolean action = doc.value("action") != null && doc.value("action").asBoolean();
        ObjectNode operation = mapper.createObjectNode();
        operation.put("operationId", method.name());
        operation.put("summary", doc.value().asString());
        operation.putArray("tags").add(path(method).startsWith("/api/recurring") ? "recurring jobs" : "jobs");
        ArrayNode parameters = mapper.createArrayNode();
        for (MethodParameterInfo parameter : method.parameters()) {
            AnnotationInstance pathParam = parameter.declaredAnnotation(PATH_PARAM);
            AnnotationInstance queryParam = parameter.declaredAnnotation(QUERY_PARAM);
            if (pathParam == null && queryParam == null) {
                // the JSON body
                operation.putObject("requestBody").put("required", true).putObject("content")
                        .putObject("application/json").set("schema", schema(parameter.type()));
                continue;
            }
            ObjectNode p = parameters.addObject();
            p.put("name", (pathParam != null ? pathParam : queryParam).value().asString());
            p.put("in", pathParam != null ? "path" : "query");
            p.put("required", pathParam != null);
            ObjectNode schema = schema(parameter.type());
            AnnotationInstance defaultValue = parameter.declaredAnnotation(DEFAULT_VALUE);
            if (defaultValue != null) {
                schema.put("default", defaultValue.value().asString());
            }
            p.set("schema", schema);
        }
        if (!parameters.isEmpty()) {
            operation.set("parameters", parameters);
        }
        ObjectNode responses = operation.putObject("responses");
        AnnotationValue returns = doc.value("returns");
        Type answer = returns != null ? returns.asClass() : method.returnType();
        responses.putObject("200").put("description", "OK").putObject("content").putObject("application/json")
                .set("schema", schema(answer));
        responses.putObject("401").put("description", "Not logged in");
        responses.putObject("403").put("description", action
                ? "No full dashboard role (a read-only user), the CSRF token is missing, wrong, another user's or"
                        + " expired, or the Origin is not the dashboard's"
                : "None of the dashboard's roles");
        AnnotationValue errors = doc.value("errors");
        if (errors != null) {
            for (String error : errors.asStringArray()) {
                int colon = error.indexOf(':');
                responses.putObject(error.substring(0, colon)).put("description", error.substring(colon + 1).trim());
            }
        }
        return operation;
    }

    private ObjectNode schema(Type type) {
        ObjectNode schema = mapper.createObjectNode();
        switch (type.kind()) {
            case PRIMITIVE -> {
                String name = type.name().toString();
                schema.put("type", name.equals("boolean") ? "boolean" : "integer");
                if (name.equals("long")) {
                    schema.put("format", "int64");
                }
            }
            case PARAMETERIZED_TYPE -> {
                ParameterizedType parameterized = type.asParameterizedType();
                List<Type> arguments = parameterized.arguments();
                if (parameterized.name().toString().equals("java.util.Map")) {
                    schema.put("type", "object");
                    schema.set("additionalProperties", schema(arguments.get(1)));
                } else {
                    schema.put("type", "array");
                    schema.set("items", schema(arguments.get(0)));
                }
            }
            default -> classSchema(type.name(), schema);
        }
        return schema;
    }

    private void classSchema(DotName name, ObjectNode schema) {
        switch (name.toString()) {
            case "java.lang.String" -> schema.put("type", "string");
            case "java.time.Instant" -> schema.put("type", "string").put("format", "date-time");
            case "java.lang.Integer" -> schema.put("type", "integer");
            case "java.lang.Long" -> schema.put("type", "integer").put("format", "int64");
            case "java.lang.Boolean" -> schema.put("type", "boolean");
            default -> {
                ClassInfo type = index.getClassByName(name);
                if (type == null) {
                    throw new IllegalStateException("The dashboard API uses " + name + ", which is not indexed");
                }
                if (type.isEnum()) {
                    schema.put("type", "string");
                    ArrayNode values = schema.putArray("enum");
                    type.enumConstants().stream().map(FieldInfo::name).forEach(values::add);
                    return;
                }
                String simple = type.simpleName();
                schema.put("$ref", "#/components/schemas/" + simple);
                if (!schemas.has(simple)) {
                    ObjectNode component = schemas.putObject(simple);
                    component.put("type", "object");
                    ObjectNode properties = component.putObject("properties");
                    for (RecordComponentInfo field : type.recordComponents()) {
                        AnnotationInstance renamed = field.annotation(JSON_PROPERTY);
                        properties.set(renamed != null ? renamed.value().asString() : field.name(), schema(field.type()));
                    }
                }
            }
        }
    }
}
