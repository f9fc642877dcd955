package io.quarkiverse.hangfire.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One measured figure: its value in each run, summarised as median, min and max; and, for throughputs, the raw
 * ceiling it is compared with.
 */
final class Figure {

    final String scenario;
    final String name;
    final String unit;
    final List<Double> runs = new ArrayList<>();
    /** The name of the ceiling figure this one is divided by, or null. */
    String ceiling;

    Figure(String scenario, String name, String unit) {
        this.scenario = scenario;
        this.name = name;
        this.unit = unit;
    }

    Figure against(String ceilingName) {
        this.ceiling = ceilingName;
        return this;
    }

    void add(double value) {
        runs.add(value);
    }

    double median() {
        List<Double> sorted = runs.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double min() {
        return runs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return runs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** The {@code p}-th percentile (0..100) of {@code values}, nearest rank. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
