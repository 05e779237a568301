package io.shardstore.node.command.data;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import io.shardstore.node.command.CommandContext;

/**
 * Adds {@code keyPattern} and {@code keyValue} to a DuplicateKey (11000) error, as mongod reports them (drivers show
 * them, and applications read them to tell which unique constraint failed). The engine's error carries only its
 * message ({@code ... index: email_1 dup key: { email: "a@x" }}): the index is found by its name, and the key's value
 * is taken from the stored document that holds it (found through the index with the values read from the message),
 * so it has its stored types; where no document can be found, the values as read from the message are given.
 * Storage thread only.
 */
public final class DuplicateKeyDetails {
    private static final Pattern MESSAGE = Pattern.compile("index: (\\S+) dup key: \\{ (.*) \\}$", Pattern.DOTALL);
    private static final Pattern HEX_ID = Pattern.compile("[0-9a-f]{24}");

    private DuplicateKeyDetails() {
    }

    /** Completes every DuplicateKey error of a write's reply (its write errors, or the reply itself). */
    public static void complete(CommandContext ctx, Document reply) {
        if (reply.get("writeErrors") instanceof List<?> errors) {
            for (Object error : errors) {
                if (error instanceof Document d) {
                    completeOne(ctx, d);
                }
            }
        }
        completeOne(ctx, reply);
    }

    private static void completeOne(CommandContext ctx, Document error) {
        if (!(error.get("code") instanceof Number code) || code.intValue() != 11000 || error.containsKey("keyPattern")
            || !(error.get("errmsg") instanceof String message)) {
            return;
        }
        Matcher m = MESSAGE.matcher(message);
        if (!m.find()) {
            return;
        }
        Document index = null;
        for (Document d : Namespaces.indexes(ctx, ctx.db(), ctx.collectionName())) {
            if (m.group(1).equals(d.get("name"))) {
                index = d;
            }
        }
        if (!(index != null && index.get("key") instanceof Document keyPattern)) {
            return;
        }
        List<Object> parsed = values(m.group(2), keyPattern.size());
        if (parsed == null) {
            return;
        }
        Document keyValue = new Document();
        Document query = new Document();
        int i = 0;
        for (String field : keyPattern.keySet()) {
            keyValue.put(field, parsed.get(i));
            query.put(field, parsed.get(i));
            i++;
        }
        List<Document> holder = EngineWrites.matching(ctx, query, null, 1);
        if (!holder.isEmpty()) {
            for (String field : keyPattern.keySet()) {
                Object stored = Utils.getSubdocumentValue(holder.get(0), field);
                keyValue.put(field, stored instanceof Missing ? null : stored);
            }
        }
        error.put("keyPattern", keyPattern.cloneDeeply());
        error.put("keyValue", keyValue);
    }

    /** The values of "k1: v1, k2: v2" as the engine prints them, or null if they cannot be read. */
    private static List<Object> values(String text, int count) {
        List<Object> out = new ArrayList<>();
        int at = 0;
        while (at < text.length() && out.size() < count) {
            int colon = text.indexOf(": ", at);
            if (colon < 0) {
                return null;
            }
            int start = colon + 2;
            int end;
            Object value;
            if (text.startsWith("\"", start)) {
                StringBuilder s = new StringBuilder();
                int j = start + 1;
                while (j < text.length() && text.charAt(j) != '"') {
                    char c = text.charAt(j);
                    if (c == '\\' && j + 1 < text.length()) {
                        char n = text.charAt(++j);
                        s.append(switch (n) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            case 'b' -> '\b';
                            case 'f' -> '\f';
                            default -> n;
                        });
                    } else {
                        s.append(c);
                    }
                    j++;
                }
                value = s.toString();
                end = j + 1;
            } else {
                end = text.indexOf(", ", start);
                end = end < 0 ? text.length() : end;
                value = scalar(text.substring(start, end));
                if (value == UNREADABLE) {
                    return null;
                }
            }
            out.add(value);
            at = end;
            if (text.startsWith(", ", at)) {
                at += 2;
            }
        }
        return out.size() == count ? out : null;
    }

    private static final Object UNREADABLE = new Object();

    private static Object scalar(String token) {
        switch (token) {
            case "null":
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                break;
        }
        if (HEX_ID.matcher(token).matches()) {
            return new ObjectId(token);
        }
        try {
            long n = Long.parseLong(token);
            return n == (int) n ? (Object) (int) n : (Object) n;
        } catch (NumberFormatException e) {
            // not an integer
        }
        try {
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            return UNREADABLE;
        }
    }
}
