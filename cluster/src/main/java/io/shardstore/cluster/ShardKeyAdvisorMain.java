package io.shardstore.cluster;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.bson.Document;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/shard-key-advisor}: asks a router's {@code shardKeyAdvisor} about a collection, prints the candidates as
 * a table, and writes the answer as Markdown with a chart of each candidate's score by part (targeting, balance,
 * inserts) next to it.
 */
@Command(name = "shard-key-advisor", mixinStandardHelpOptions = true,
    description = "Ranks candidate shard keys for a collection by its data and its sampled queries (configureQueryAnalyzer).")
public final class ShardKeyAdvisorMain implements Callable<Integer> {

    @Option(names = "--uri", description = "the router (default: ${DEFAULT-VALUE})")
    String uri = "mongodb://127.0.0.1:27017";

    @Option(names = "--ns", required = true, description = "the collection, db.collection")
    String ns;

    @Option(names = "--shards", description = "the shard count to judge balance at (default: the cluster's, at least 2)")
    Integer shards;

    @Option(names = "--out", description = "where the report and chart go (default: ${DEFAULT-VALUE})")
    Path out = Path.of(".");

    @Override
    public Integer call() throws IOException {
        Document cmd = new Document("shardKeyAdvisor", ns);
        if (shards != null) {
            cmd.append("shards", shards);
        }
        Document answer;
        try (MongoClient client = MongoClients.create(uri)) {
            answer = client.getDatabase("admin").runCommand(cmd);
        }
        String base = "shard-key-advice-" + ns.replaceAll("[^A-Za-z0-9_.-]", "_");
        Files.createDirectories(out);
        Path png = out.resolve(base + ".png");
        chart(answer, png);
        String markdown = markdown(answer, png.getFileName().toString());
        Files.writeString(out.resolve(base + ".md"), markdown);
        System.out.print(table(answer));
        System.out.println();
        System.out.println("Recommendation: " + ((Document) answer.get("recommendation")).getString("why"));
        System.out.println("Report: " + out.resolve(base + ".md") + " (chart " + png + ")");
        return 0;
    }

    /** The score's parts, as the advisor weighs them: 45 targeting, 25 balance, 15 insert spread, 15 cardinality. */
    static double[] parts(Document candidate, int shards) {
        Document f = (Document) candidate.get("figures");
        if (candidate.getDouble("score") == 0 && reasons(candidate).get(0).startsWith("cannot be the shard key")) {
            return new double[4];
        }
        double targeting = 45 * (1 - f.getDouble("averageReach"));
        double balance = 25 * (1.0 / shards) / f.getDouble("fullestShardShare");
        double inserts = "monotonic".equals(((Document) f.get("monotonicity")).getString("type")) ? 0 : 15;
        double cardinality = 15 * f.getDouble("cardinality");
        return new double[] {targeting, balance, inserts, cardinality};
    }

    private static List<String> reasons(Document candidate) {
        return candidate.getList("reasons", String.class);
    }

    static String table(Document answer) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s: %,d documents, %d sampled queries, judged at %d shards%n",
            answer.getString("ns"), ((Number) answer.get("numDocs")).longValue(), ((Number) answer.get("sampledQueries")).longValue(),
            answer.getInteger("shards")));
        if (answer.containsKey("note")) {
            out.append(answer.getString("note")).append('\n');
        }
        out.append(String.format(Locale.ROOT, "%-4s %-36s %6s %9s %9s %10s%n", "rank", "key", "score", "targeted", "fullest", "monotonic"));
        int rank = 1;
        for (Document c : answer.getList("candidates", Document.class)) {
            Document f = (Document) c.get("figures");
            out.append(String.format(Locale.ROOT, "%-4d %-36s %6.1f %8.0f%% %8.0f%% %10s%n", rank++, ((Document) c.get("key")).toJson(),
                c.getDouble("score"), 100 * f.getDouble("targetedShare"), 100 * f.getDouble("fullestShardShare"),
                ((Document) f.get("monotonicity")).getString("type")));
        }
        return out.toString();
    }

    static String markdown(Document answer, String chart) {
        StringBuilder md = new StringBuilder();
        md.append("# Shard key advice for `").append(answer.getString("ns")).append("`\n\n");
        md.append(String.format(Locale.ROOT, "%,d documents, %d sampled queries, balance judged at %d shards.%n%n",
            ((Number) answer.get("numDocs")).longValue(), ((Number) answer.get("sampledQueries")).longValue(), answer.getInteger("shards")));
        if (answer.containsKey("note")) {
            md.append("> ").append(answer.getString("note")).append("\n\n");
        }
        md.append("**Recommendation:** ").append(((Document) answer.get("recommendation")).getString("why")).append("\n\n");
        md.append("![scores by part](").append(chart).append(")\n\n");
        md.append("| rank | key | score | one shard | every shard | fullest shard | monotonic | why |\n");
        md.append("| ---: | --- | ---: | ---: | ---: | ---: | --- | --- |\n");
        int rank = 1;
        for (Document c : answer.getList("candidates", Document.class)) {
            Document f = (Document) c.get("figures");
            md.append(String.format(Locale.ROOT, "| %d | `%s` | %.1f | %.0f%% | %.0f%% | %.0f%% | %s | %s |%n", rank++,
                ((Document) c.get("key")).toJson(), c.getDouble("score"), 100 * f.getDouble("targetedShare"),
                100 * f.getDouble("scatterShare"), 100 * f.getDouble("fullestShardShare"),
                ((Document) f.get("monotonicity")).getString("type"), String.join("; ", reasons(c))));
        }
        md.append("\nScore = 45 x (1 - the share of the key's range an operation reaches on average) + 25 x balance (even share / "
            + "fullest shard's share) + 15 unless inserts all go to one shard (monotonic key) + 15 x cardinality (log distinct values "
            + "/ log documents); 0 when a unique index does not start with the key.\n");
        return md.toString();
    }

    static void chart(Document answer, Path png) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        int shards = answer.getInteger("shards");
        for (Document c : answer.getList("candidates", Document.class)) {
            String key = ((Document) c.get("key")).toJson();
            double[] p = parts(c, shards);
            data.addValue(p[0], "targeting (45)", key);
            data.addValue(p[1], "balance (25)", key);
            data.addValue(p[2], "insert spread (15)", key);
            data.addValue(p[3], "cardinality (15)", key);
        }
        JFreeChart chart = ChartFactory.createStackedBarChart("Shard key candidates for " + answer.getString("ns"), "candidate key",
            "score", data, PlotOrientation.HORIZONTAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.getRangeAxis().setRange(0, 100);
        StackedBarRenderer renderer = (StackedBarRenderer) plot.getRenderer();
        renderer.setSeriesPaint(0, new Color(0x1f77b4));
        renderer.setSeriesPaint(1, new Color(0x2ca02c));
        renderer.setSeriesPaint(2, new Color(0xff7f0e));
        renderer.setSeriesPaint(3, new Color(0x9467bd));
        int height = 160 + 40 * answer.getList("candidates", Document.class).size();
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, height);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ShardKeyAdvisorMain()).execute(args));
    }
}
