package io.shardstore.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import io.shardstore.bench.run.Aggregate;
import io.shardstore.bench.run.Histograms;

/** The report's PNG plots, drawn headless with JFreeChart. */
public final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b)};

    static {
        System.setProperty("java.awt.headless", "true"); // no display on CI or this machine
    }

    private Charts() {
    }

    /** Writes every plot the results have data for; returns the file names written. */
    public static List<String> write(Results r, Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        if (!r.clientScaling.isEmpty()) {
            save(vsClients(r, "Targeted reads: throughput vs client threads", "operations / s", Aggregate::throughput), dir,
                "throughput_vs_clients.png", files);
            save(vsClients(r, "Targeted reads: p99 latency vs client threads", "p99 latency (ms)",
                a -> Histograms.millis(a.latency(), 99)), dir, "p99_vs_clients.png", files);
        }
        CompareResult reads = r.baseline("targeted-read");
        if (reads != null) {
            save(cdf("Latency CDF: targeted reads, " + reads.clients() + " clients", reads.lanes()), dir, "latency_cdf.png", files);
        }
        CompareResult updates = r.baseline("targeted-update");
        if (updates != null) {
            save(cdf("Latency CDF: targeted updates, " + updates.clients() + " clients", updates.lanes()), dir, "latency_cdf_updates.png", files);
        }
        if (r.scatter != null) {
            save(cdf("Latency CDF: scatter sort+limit 100, router vs each shard alone (1 client)", r.scatter.lanes()), dir,
                "latency_cdf_scatter.png", files);
        }
        if (!r.shardScaling.isEmpty()) {
            save(shardShare(r), dir, "shard_share.png", files);
            save(shardScaling(r), dir, "shard_scaling.png", files);
        }
        return files;
    }

    private static void save(JFreeChart chart, Path dir, String name, List<String> files) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(dir.resolve(name).toFile(), chart, WIDTH, HEIGHT);
        files.add(name);
    }

    private static JFreeChart vsClients(Results r, String title, String yLabel, ToDoubleFunction<Aggregate> y) {
        XYSeriesCollection data = new XYSeriesCollection();
        Map<Integer, Map<String, Aggregate>> points = r.clientScaling;
        for (String lane : points.values().iterator().next().keySet()) {
            XYSeries s = new XYSeries(lane);
            points.forEach((clients, lanes) -> {
                Aggregate a = lanes.get(lane);
                if (a != null && a.ops() > 0) {
                    s.add(clients.doubleValue(), y.applyAsDouble(a));
                }
            });
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "client threads", yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = new LogAxis("client threads (log scale)");
        x.setBase(2);
        x.setTickUnit(new NumberTickUnit(1));
        x.setNumberFormatOverride(new DecimalFormat("0"));
        plot.setDomainAxis(x);
        style(plot);
        return chart;
    }

    private static JFreeChart cdf(String title, Map<String, Aggregate> lanes) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, Aggregate> e : lanes.entrySet()) {
            Histogram h = e.getValue().latency();
            XYSeries s = new XYSeries(e.getKey());
            if (h.getTotalCount() > 0) {
                for (HistogramIterationValue v : h.recordedValues()) {
                    double ms = Math.max(0.001, h.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0);
                    s.add(ms, v.getPercentile());
                }
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "latency (ms)", "percent of operations at or below", data,
            PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = new LogAxis("latency (ms, log scale)");
        x.setSmallestValue(0.01);
        plot.setDomainAxis(x);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 100.5);
        style(plot);
        ((XYLineAndShapeRenderer) plot.getRenderer()).setDefaultShapesVisible(false);
        return chart;
    }

    private static JFreeChart shardShare(Results r) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        int maxShards = 0;
        for (CompareResult c : r.shardScaling) {
            for (Aggregate a : c.lanes().values()) {
                if (a.shardOps() != null) {
                    maxShards = Math.max(maxShards, a.shardOps().length);
                }
            }
        }
        for (CompareResult c : r.shardScaling) {
            for (Map.Entry<String, Aggregate> e : c.lanes().entrySet()) {
                long[] ops = e.getValue().shardOps();
                if (ops == null) {
                    continue;
                }
                long total = 0;
                for (long o : ops) {
                    total += o;
                }
                for (int i = 0; i < maxShards; i++) {
                    data.addValue(total == 0 ? 0 : 100.0 * ops[i] / total, "shard" + i, c.workload().name() + " / " + e.getKey());
                }
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart("Per-shard share of operations (each shard's serverStatus opcounters)",
            "workload / collection spread over", "percent of the shards' operations", data, PlotOrientation.HORIZONTAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (int i = 0; i < maxShards; i++) {
            plot.getRenderer().setSeriesPaint(i, COLORS[i % COLORS.length]);
        }
        return chart;
    }

    private static JFreeChart shardScaling(Results r) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (CompareResult c : r.shardScaling) {
            Aggregate first = c.lanes().values().iterator().next();
            for (Map.Entry<String, Aggregate> e : c.lanes().entrySet()) {
                data.addValue(first.throughput() == 0 ? 0 : e.getValue().throughput() / first.throughput(), e.getKey(), c.workload().name());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Router throughput by shard count (relative to 1 shard)", "workload",
            "throughput relative to 1 shard", data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesShapesVisible(i, true);
        }
    }
}
