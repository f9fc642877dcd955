package io.quarkiverse.hangfire.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Draws the growth curve as an SVG file beside the results: on the left the drain and the single enqueue at each
 * size as a percentage of their figure on empty tables, with the band of ±15 % the design allows; on the right
 * the times of {@code api/stats} and of the first page of Succeeded, with the 50 ms design target of
 * {@code api/stats}. The sizes are evenly spaced, labelled with their number of finished jobs.
 */
final class GrowthPlot {

    private static final int PANEL_WIDTH = 380;
    private static final int PANEL_HEIGHT = 260;
    private static final int MARGIN_LEFT = 60;
    private static final int MARGIN_TOP = 50;
    private static final int GAP = 90;
    private static final String[] COLOURS = { "#1f77b4", "#d62728" };

    private final StringBuilder svg = new StringBuilder();
    private final List<Growth.Point> points;
    private final int scheduled;

    private GrowthPlot(List<Growth.Point> points, int scheduled) {
        this.points = points;
        this.scheduled = scheduled;
    }

    /** Writes the plot of {@code points}, measured with {@code scheduled} jobs waiting, to {@code file}. */
    static void write(Path file, String title, List<Growth.Point> points, int scheduled) throws IOException {
        GrowthPlot plot = new GrowthPlot(points, scheduled);
        Files.writeString(file, plot.draw(title));
    }

    private String draw(String title) {
        int width = MARGIN_LEFT + 2 * PANEL_WIDTH + GAP + 40;
        int height = MARGIN_TOP + PANEL_HEIGHT + 90;
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(width / 2.0, 22, "middle", 15, escape(title));

        Growth.Point empty = points.get(0);
        double[][] relative = {
                values(p -> 100 * p.drain() / empty.drain()),
                values(p -> 100 * p.enqueue() / empty.enqueue()) };
        double top = Math.max(130, Math.ceil(max(relative) / 10) * 10 + 10);
        double bottom = Math.max(0, Math.min(70, Math.floor(min(relative) / 10) * 10 - 10));
        double step = top - bottom <= 80 ? 10 : niceCeiling((top - bottom) / 8);
        bottom = step * Math.floor(bottom / step);
        top = step * Math.ceil(top / step);
        int left = MARGIN_LEFT;
        panel(left, "throughput, % of empty tables (" + label(empty.finished()) + " finished)", bottom, top, step);
        band(left, bottom, top, 85, 115);
        series(left, bottom, top, relative[0], COLOURS[0], "drain");
        series(left, bottom, top, relative[1], COLOURS[1], "single enqueue");
        legend(left, new String[] { "drain", "single enqueue" });

        double[][] millis = { values(Growth.Point::statsMillis), values(Growth.Point::pageMillis) };
        double msHighest = Math.max(60, max(millis) * 1.1);
        double msStep = niceCeiling(msHighest / 6);
        double msTop = msStep * Math.ceil(msHighest / msStep);
        int right = MARGIN_LEFT + PANEL_WIDTH + GAP;
        panel(right, "dashboard response time, ms", 0, msTop, msStep);
        line(right, 0, msTop, 50, "api/stats target 50 ms");
        series(right, 0, msTop, millis[0], COLOURS[0], "api/stats");
        series(right, 0, msTop, millis[1], COLOURS[1], "Succeeded page");
        legend(right, new String[] { "api/stats", "first page of Succeeded" });
        svg.append("</svg>\n");
        return svg.toString();
    }

    private double[] values(ToDoubleFunction<Growth.Point> f) {
        return points.stream().mapToDouble(f).toArray();
    }

    /** Axes, grid and labels of one panel, its y axis from {@code low} to {@code high} in steps of {@code step}. */
    private void panel(int x0, String title, double low, double high, double step) {
        text(x0 + PANEL_WIDTH / 2.0, MARGIN_TOP - 12, "middle", 13, escape(title));
        int ticks = (int) Math.round((high - low) / step);
        for (int i = 0; i <= ticks; i++) {
            double value = low + step * i;
            double y = y(value, low, high);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    x0, y, x0 + PANEL_WIDTH, y));
            text(x0 - 6, y + 4, "end", 11, format(value));
        }
        for (int i = 0; i < points.size(); i++) {
            text(x(x0, i), MARGIN_TOP + PANEL_HEIGHT + 18, "middle", 11, label(points.get(i).finished()));
        }
        text(x0 + PANEL_WIDTH / 2.0, MARGIN_TOP + PANEL_HEIGHT + 36, "middle", 11,
                "finished jobs stored, with " + label(scheduled) + " scheduled jobs waiting");
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"#444\"/>%n", x0, MARGIN_TOP, PANEL_WIDTH, PANEL_HEIGHT));
    }

    private void band(int x0, double low, double high, double from, double to) {
        double yTop = y(to, low, high);
        double yBottom = y(from, low, high);
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#2ca02c\""
                + " fill-opacity=\"0.12\"/>%n", x0, yTop, PANEL_WIDTH, yBottom - yTop));
        // its legend entry, right of the series'
        double y = MARGIN_TOP + PANEL_HEIGHT + 56;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"24\" height=\"10\" fill=\"#2ca02c\""
                + " fill-opacity=\"0.25\"/>%n", x0 + PANEL_WIDTH / 2, y - 9));
        text(x0 + PANEL_WIDTH / 2.0 + 30, y, "start", 11, "target: within 15 % of empty tables");
    }

    private void line(int x0, double low, double high, double value, String label) {
        double y = y(value, low, high);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#2ca02c\""
                + " stroke-dasharray=\"6 4\"/>%n", x0, y, x0 + PANEL_WIDTH, y));
        text(x0 + 4, y - 4, "start", 10, escape(label));
    }

    private void series(int x0, double low, double high, double[] values, String colour, String name) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i])) {
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x(x0, i),
                        y(values[i], low, high)));
            }
        }
        svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", path,
                colour));
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i])) {
                double y = y(values[i], low, high);
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">"
                        + "<title>%s at %s: %s</title></circle>%n", x(x0, i), y, colour, escape(name),
                        label(points.get(i).finished()), format(values[i])));
                text(x(x0, i) + 6, y - 6, "start", 10, format(values[i]));
            }
        }
    }

    private void legend(int x0, String[] names) {
        for (int i = 0; i < names.length; i++) {
            double y = MARGIN_TOP + PANEL_HEIGHT + 56 + i * 16;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\""
                    + " stroke-width=\"2\"/>%n", x0, y - 4, x0 + 24, y - 4, COLOURS[i]));
            text(x0 + 30, y, "start", 11, escape(names[i]));
        }
    }

    private void text(double x, double y, String anchor, int size, String content) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, content));
    }

    private double x(int x0, int index) {
        int n = points.size();
        return n == 1 ? x0 + PANEL_WIDTH / 2.0 : x0 + 30 + (PANEL_WIDTH - 60.0) * index / (n - 1);
    }

    private static double y(double value, double low, double high) {
        return MARGIN_TOP + PANEL_HEIGHT * (1 - (value - low) / (high - low));
    }

    private static double max(double[][] series) {
        return finite(series).max().orElse(100);
    }

    private static double min(double[][] series) {
        return finite(series).min().orElse(100);
    }

    private static java.util.stream.DoubleStream finite(double[][] series) {
        return java.util.Arrays.stream(series).flatMapToDouble(java.util.Arrays::stream).filter(Double::isFinite);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value}. */
    private static double niceCeiling(double value) {
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] { 1, 2, 5, 10 }) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String format(double value) {
        return Math.abs(value) >= 100 || value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String label(long size) {
        return Growth.label(size);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
