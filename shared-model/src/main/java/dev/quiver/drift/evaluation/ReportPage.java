package dev.quiver.drift.evaluation;

import dev.quiver.drift.ColumnDrift;
import dev.quiver.drift.SketchDrift;

import java.util.List;
import java.util.Locale;

/**
 * A drift report as one self-contained HTML page: the verdict, a table of every column's test, statistic,
 * p-value, threshold and verdict, and for each drifted column a bar chart of its distribution in the reference
 * and in the window (inline SVG; no script or style is fetched from anywhere). A small inline script counts the
 * charts that rendered with a size into {@code body[data-charts-rendered]}, for tests and for the curious.
 */
final class ReportPage {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 220;

    private ReportPage() {
    }

    static String render(DriftService.Report report, List<SketchDrift.Distribution> drifted) {
        StringBuilder h = new StringBuilder(16_384);
        String title = "Drift of " + report.model() + ":" + report.version() + ", window " + report.window();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}")
                .append(".drift{color:#b00020;font-weight:600}.ok{color:#2e7d32}.ref{fill:#9e9e9e}.cur{fill:#1565c0}")
                .append("figure{margin:2em 0}figcaption{font-weight:600;margin-bottom:.5em}</style></head>")
                .append("<body data-charts-expected=\"").append(drifted.size()).append("\" data-charts-rendered=\"0\">");
        h.append("<h1>").append(esc(title)).append("</h1>");
        boolean dataset = report.drift().datasetDrift();
        h.append("<p class=\"").append(dataset ? "drift" : "ok").append("\">")
                .append(dataset ? "Data set drift" : "No data set drift").append(": ")
                .append(report.drift().driftedColumns()).append(" of ").append(report.drift().columns().size())
                .append(" columns drifted (share ").append(num(report.drift().shareOfDriftedColumns()))
                .append(", threshold ").append(num(report.drift().driftShare())).append("). Reference ")
                .append(report.referenceRows()).append(" rows, window ").append(report.currentRows())
                .append(" rows.</p>");
        h.append("<table><thead><tr><th>column</th><th>type</th><th>test</th><th>statistic</th><th>p-value</th>")
                .append("<th>threshold</th><th>drift</th><th>± (sketch)</th></tr></thead><tbody>");
        for (ColumnDrift c : report.drift().columns()) {
            Double bound = report.errorBounds().get(c.name());
            h.append("<tr><td>").append(esc(c.name())).append("</td><td>")
                    .append(c.type().name().toLowerCase(Locale.ROOT)).append("</td><td>").append(c.test().evidentlyName())
                    .append("</td><td>").append(num(c.statistic())).append("</td><td>")
                    .append(c.pValue() == null ? "" : num(c.pValue())).append("</td><td>").append(num(c.threshold()))
                    .append("</td><td class=\"").append(c.drifted() ? "drift\">drifted" : "ok\">no").append("</td><td>")
                    .append(bound == null || bound.isNaN() ? "" : num(bound)).append("</td></tr>");
            if (c.note() != null) {
                h.append("<tr class=\"note\"><td></td><td colspan=\"7\">too few rows: ").append(esc(c.note()))
                        .append("</td></tr>");
            }
        }
        h.append("</tbody></table>");
        for (SketchDrift.Distribution d : drifted) {
            chart(h, d);
        }
        h.append("<script>(function(){var n=0;document.querySelectorAll('svg.chart').forEach(function(s){")
                .append("var b=s.getBBox();if(b.width>0&&b.height>0&&s.querySelectorAll('rect.cur,rect.ref').length>0)n++;});")
                .append("document.body.setAttribute('data-charts-rendered',String(n));})();</script>");
        return h.append("</body></html>").toString();
    }

    /** Grouped bars: the reference's share (grey) and the window's (blue) per bin or category. */
    private static void chart(StringBuilder h, SketchDrift.Distribution d) {
        int bins = d.bins().size();
        double top = 0;
        for (int i = 0; i < bins; i++) {
            top = Math.max(top, Math.max(d.reference()[i], d.current()[i]));
        }
        top = top == 0 ? 1 : top;
        double slot = (double) (WIDTH - 40) / Math.max(1, bins);
        double bar = Math.max(1, slot * 0.4);
        h.append("<figure><figcaption>").append(esc(d.column()))
                .append(": reference (grey) and window (blue), share of rows</figcaption>")
                .append("<svg class=\"chart\" role=\"img\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT + 20).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT + 20)
                .append("\"><line x1=\"30\" y1=\"").append(HEIGHT).append("\" x2=\"").append(WIDTH)
                .append("\" y2=\"").append(HEIGHT).append("\" stroke=\"#999\"/>");
        h.append("<text x=\"0\" y=\"12\" font-size=\"10\">").append(num(top)).append("</text>");
        for (int i = 0; i < bins; i++) {
            double x = 35 + i * slot;
            bar(h, "ref", x, bar, d.reference()[i] / top, d.bins().get(i), d.reference()[i]);
            bar(h, "cur", x + bar, bar, d.current()[i] / top, d.bins().get(i), d.current()[i]);
        }
        if (bins <= 24) {
            for (int i = 0; i < bins; i++) {
                h.append("<text x=\"").append(num(35 + i * slot)).append("\" y=\"").append(HEIGHT + 14)
                        .append("\" font-size=\"9\">").append(esc(shortLabel(d.bins().get(i)))).append("</text>");
            }
        }
        h.append("</svg></figure>");
    }

    private static void bar(StringBuilder h, String kind, double x, double width, double height, String label,
                            double share) {
        double px = Math.max(0.5, height * (HEIGHT - 20));
        h.append("<rect class=\"").append(kind).append("\" x=\"").append(num(x)).append("\" y=\"")
                .append(num(HEIGHT - px)).append("\" width=\"").append(num(width)).append("\" height=\"")
                .append(num(px)).append("\"><title>").append(esc(label)).append(": ").append(num(share))
                .append("</title></rect>");
    }

    private static String shortLabel(String s) {
        return s.length() <= 8 ? s : s.substring(0, 7) + "…";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
