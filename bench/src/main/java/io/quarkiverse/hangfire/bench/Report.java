package io.quarkiverse.hangfire.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The results: a table on standard output, the same as CSV and JSON, and the design targets met or missed. */
final class Report {

    private final Options o;
    private final Map<String, String> environment;
    private final Map<String, Figure> figures;

    Report(Options o, Map<String, String> environment, Map<String, Figure> figures) {
        this.o = o;
        this.environment = environment;
        this.figures = figures;
    }

    private Double ratio(Figure f) {
        Figure ceiling = f.ceiling == null ? null : figures.get(f.ceiling);
        return ceiling == null || ceiling.runs.isEmpty() ? null : f.median() / ceiling.median();
    }

    void print() {
        System.out.println();
        System.out.printf("%-14s %-28s %12s %12s %12s  %-13s %s%n", "scenario", "figure", "median", "min", "max", "unit",
                "vs ceiling");
        for (Figure f : figures.values()) {
            Double r = ratio(f);
            String vs = r == null ? "" : String.format(Locale.ROOT, "%.2f x %s", r, f.ceiling.substring(8));
            System.out.printf(Locale.ROOT, "%-14s %-28s %12.1f %12.1f %12.1f  %-13s %s%n", f.scenario, f.name, f.median(),
                    f.min(), f.max(), f.unit, vs);
        }
        Figure c = figures.get("ceiling.c_queue_commit_batch");
        Figure drain = figures.get("drain.drain");
        if (c != null && drain != null) {
            System.out.printf(Locale.ROOT, "%-14s %-28s %.2f x c_queue_commit_batch%n", "drain", "drain (vs ceiling c)",
                    drain.median() / c.median());
        }
        Figure storage = figures.get("drain_storage.drain");
        if (storage != null && drain != null) {
            // how much of what the storage allows the whole server keeps
            System.out.printf(Locale.ROOT, "%-14s %-28s %.2f x drain_storage%n", "drain", "drain (vs storage only)",
                    drain.median() / storage.median());
        }
        System.out.println();
        System.out.println("Design targets (not assertions):");
        targets().forEach(t -> System.out.println("  " + t));
    }

    List<String> targets() {
        List<String> lines = new ArrayList<>();
        double poll = millis(o.pollInterval().isBlank() ? "500ms" : o.pollInterval());
        target(lines, "drain >= 2 x ceiling b", "drain.drain", "ceiling.b_queue_commit_each", 2.0, true);
        target(lines, "drain >= 0.5 x ceiling c", "drain.drain", "ceiling.c_queue_commit_batch", 0.5, true);
        absolute(lines, "drain CPU JVM+database <= 150 ms per 1000 jobs", "drain.cpu_total", 150, false);
        target(lines, "single enqueue >= 0.8 x ceiling a", "enqueue.single_1_thread", "ceiling.a_insert_commit", 0.8, true);
        absolute(lines, "batch enqueue >= 50,000 jobs/s", "enqueue.batch_" + o.enqueueBatch(), 50_000, true);
        absolute(lines, "local pickup p99 <= 25 ms", "local_pickup.p99", 25, false);
        if (o.db().equals("postgresql")) {
            // LISTEN/NOTIFY wakes the second server: the poll interval no longer bounds its pickup
            absolute(lines, "second-server pickup p99 <= 25 ms (LISTEN/NOTIFY)", "remote_pickup.p99", 25, false);
        } else {
            absolute(lines, "second-server pickup p99 <= poll interval + 25 ms", "remote_pickup.p99", poll + 25, false);
        }
        absolute(lines, "scheduled lateness p99 <= 1100 ms", "scheduled.p99", 1100, false);
        growthTargets(lines);
        return lines;
    }

    /** At the largest size of the growth curve: drain and enqueue within 15 % of empty tables, api/stats under 50 ms. */
    private void growthTargets(List<String> lines) {
        List<String> labels = figures.values().stream().filter(f -> f.scenario.equals("growth") && f.name.startsWith("drain@"))
                .map(f -> f.name.substring("drain@".length())).toList();
        if (labels.size() < 2) {
            return;
        }
        String empty = labels.get(0);
        String largest = labels.get(labels.size() - 1);
        target(lines, "drain at " + largest + " finished >= 0.85 x at " + empty, "growth.drain@" + largest,
                "growth.drain@" + empty, 0.85, true);
        target(lines, "single enqueue at " + largest + " finished >= 0.85 x at " + empty,
                "growth.single_enqueue@" + largest, "growth.single_enqueue@" + empty, 0.85, true);
        absolute(lines, "api/stats at " + largest + " finished <= 50 ms", "growth.api_stats@" + largest, 50, false);
    }

    private void target(List<String> lines, String what, String figure, String ceiling, double factor, boolean atLeast) {
        Figure f = figures.get(figure);
        Figure c = figures.get(ceiling);
        if (f == null || c == null || f.runs.isEmpty() || c.runs.isEmpty()) {
            lines.add("n/a   " + what);
            return;
        }
        double ratio = f.median() / c.median();
        lines.add(String.format(Locale.ROOT, "%-5s %s: %.2f x", ratio >= factor == atLeast ? "MET" : "MISS", what, ratio));
    }

    private void absolute(List<String> lines, String what, String figure, double limit, boolean atLeast) {
        Figure f = figures.get(figure);
        if (f == null || f.runs.isEmpty()) {
            lines.add("n/a   " + what);
            return;
        }
        boolean met = atLeast ? f.median() >= limit : f.median() <= limit;
        lines.add(String.format(Locale.ROOT, "%-5s %s: %.1f", met ? "MET" : "MISS", what, f.median()));
    }

    /** Writes the CSV and JSON files; returns their path without the extension, for files that go with them. */
    Path write(Path folder, String db) throws IOException {
        Files.createDirectories(folder);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        StringBuilder csv = new StringBuilder("scenario,figure,unit,median,min,max,runs,ceiling,ratio_to_ceiling\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Figure f : figures.values()) {
            Double r = ratio(f);
            csv.append(String.join(",", f.scenario, f.name, f.unit, num(f.median()), num(f.min()), num(f.max()),
                    f.runs.stream().map(Report::num).reduce((a, b) -> a + ";" + b).orElse(""),
                    f.ceiling == null ? "" : f.ceiling, r == null ? "" : num(r))).append('\n');
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("scenario", f.scenario);
            row.put("figure", f.name);
            row.put("unit", f.unit);
            row.put("median", f.median());
            row.put("min", f.min());
            row.put("max", f.max());
            row.put("runs", f.runs);
            row.put("ceiling", f.ceiling);
            row.put("ratioToCeiling", r);
            rows.add(row);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("environment", environment);
        json.put("figures", rows);
        json.put("targets", targets());
        Path base = folder.resolve(stamp + "-" + db);
        Files.writeString(Path.of(base + ".csv"), csv);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(base + ".json").toFile(), json);
        System.out.println("Results written to " + base + ".csv and .json");
        return base;
    }

    /** "500ms", "1s" or "0.2s" in milliseconds. */
    private static double millis(String duration) {
        String d = duration.trim().toLowerCase(Locale.ROOT);
        return d.endsWith("ms") ? Double.parseDouble(d.substring(0, d.length() - 2))
                : Double.parseDouble(d.substring(0, d.length() - 1)) * 1000;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
