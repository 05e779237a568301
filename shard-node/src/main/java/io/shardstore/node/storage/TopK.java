package io.shardstore.node.storage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.bson.Document;

/** The first k of a stream in a sort order, holding k documents at a time: ties keep their order in the stream. */
final class TopK {
    private record Ranked(Document document, long arrival) {
    }

    private TopK() {
    }

    static List<Document> of(Stream<Document> documents, Comparator<Document> order, int k) {
        if (k <= 0) {
            return List.of();
        }
        Comparator<Ranked> rank = Comparator.<Ranked, Document>comparing(Ranked::document, order)
            .thenComparingLong(Ranked::arrival);
        PriorityQueue<Ranked> worstFirst = new PriorityQueue<>(Math.min(k, 1024) + 1, rank.reversed());
        long[] arrival = {0};
        documents.forEachOrdered(d -> {
            worstFirst.add(new Ranked(d, arrival[0]++));
            if (worstFirst.size() > k) {
                worstFirst.poll();
            }
        });
        List<Ranked> kept = new ArrayList<>(worstFirst);
        kept.sort(rank);
        List<Document> out = new ArrayList<>(kept.size());
        kept.forEach(r -> out.add(r.document()));
        return out;
    }
}
