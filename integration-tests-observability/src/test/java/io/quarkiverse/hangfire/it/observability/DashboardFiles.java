package io.quarkiverse.hangfire.it.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Grafana dashboard and the Prometheus alert rules the docs ship: parsed (a syntax error fails the build), their
 * queries collected, and the metric names those use.
 */
final class DashboardFiles {

    static final Path DIR = Path.of("..", "docs", "modules", "ROOT", "attachments");
    private static final Pattern METRIC = Pattern.compile("\\bhangfire_[a-z_]+\\b");

    private DashboardFiles() {
    }

    /** The metric names the queries of {@code file} use, sorted. */
    static List<String> metricNames(String file) throws IOException {
        List<String> names = new ArrayList<>(new TreeSet<>(queries(file).stream().flatMap(q -> {
            Matcher m = METRIC.matcher(q);
            List<String> found = new ArrayList<>();
            while (m.find()) {
                found.add(m.group());
            }
            return found.stream();
        }).toList()));
        return names;
    }

    /** Every PromQL expression of the file: the {@code expr} of each Grafana target, or of each alert rule. */
    static List<String> queries(String file) throws IOException {
        String text = Files.readString(DIR.resolve(file));
        List<String> queries = new ArrayList<>();
        if (file.endsWith(".json")) {
            collectExpr(new ObjectMapper().readTree(text), queries);
        } else {
            JsonNode rules = new YAMLMapper().readTree(text);
            for (JsonNode group : rules.required("groups")) {
                group.required("name");
                for (JsonNode rule : group.required("rules")) {
                    rule.required("alert");
                    rule.required("labels").required("severity");
                    rule.required("annotations").required("summary");
                    queries.add(rule.required("expr").asText());
                }
            }
        }
        return queries;
    }

    private static void collectExpr(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("expr") && field.getValue().isTextual()) {
                    into.add(field.getValue().asText());
                } else {
                    collectExpr(field.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectExpr(child, into));
        }
    }
}
