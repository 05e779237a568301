package io.shardstore.router.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.ReadPreference;
import com.mongodb.Tag;
import com.mongodb.TagSet;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterError;

/**
 * A client's {@code $readPreference} document as the driver's {@link ReadPreference}, so server selection
 * (modes, tag sets, maxStalenessSeconds) follows the driver's own rules instead of a re-derivation of them.
 */
public final class ReadPreferences {
    /** MongoDB's floor for maxStalenessSeconds (the server-selection spec's smallestMaxStalenessSeconds). */
    static final long SMALLEST_MAX_STALENESS_SECONDS = 90;

    private ReadPreferences() {
    }

    public static ReadPreference parse(BsonValue value) {
        if (value == null) {
            return ReadPreference.primary();
        }
        if (!value.isDocument()) {
            throw new RouterError(ErrorCode.TypeMismatch, "$readPreference must be an object");
        }
        BsonDocument doc = value.asDocument();
        BsonValue mode = doc.get("mode");
        if (mode == null || !mode.isString()) {
            throw new RouterError(ErrorCode.FailedToParse, "$readPreference needs a string field 'mode'");
        }
        List<TagSet> tagSets = tagSets(doc.get("tags"));
        long maxStaleness = maxStalenessSeconds(doc.get("maxStalenessSeconds"));
        String name = mode.asString().getValue();
        try {
            if (name.equals("primary")) {
                if (tagSets.stream().anyMatch(t -> t.iterator().hasNext()) || maxStaleness >= 0) {
                    throw new RouterError(ErrorCode.FailedToParse,
                        "only an empty tag set and no maxStalenessSeconds are allowed with read preference mode primary");
                }
                return ReadPreference.primary();
            }
            return maxStaleness >= 0 ? ReadPreference.valueOf(name, tagSets, maxStaleness, TimeUnit.SECONDS)
                : ReadPreference.valueOf(name, tagSets);
        } catch (IllegalArgumentException e) {
            throw new RouterError(ErrorCode.FailedToParse, "Could not parse $readPreference mode '" + name
                + "'. Only the modes 'primary', 'primaryPreferred', 'secondary', 'secondaryPreferred', and 'nearest' are supported.");
        }
    }

    private static List<TagSet> tagSets(BsonValue value) {
        List<TagSet> sets = new ArrayList<>();
        if (value == null) {
            return sets;
        }
        if (!value.isArray()) {
            throw new RouterError(ErrorCode.TypeMismatch, "$readPreference tags must be an array of tag sets");
        }
        for (BsonValue item : value.asArray()) {
            if (!item.isDocument()) {
                throw new RouterError(ErrorCode.TypeMismatch, "each tag set in $readPreference tags must be an object");
            }
            List<Tag> tags = new ArrayList<>();
            for (var e : item.asDocument().entrySet()) {
                if (!e.getValue().isString()) {
                    throw new RouterError(ErrorCode.TypeMismatch, "tag values must be strings: " + e.getKey());
                }
                tags.add(new Tag(e.getKey(), e.getValue().asString().getValue()));
            }
            sets.add(new TagSet(tags));
        }
        return sets;
    }

    /** @return the value in seconds, or -1 for none (absent or -1, as drivers send "no maximum") */
    private static long maxStalenessSeconds(BsonValue value) {
        if (value == null) {
            return -1;
        }
        if (!value.isNumber()) {
            throw new RouterError(ErrorCode.TypeMismatch, "maxStalenessSeconds must be a number");
        }
        long seconds = value.asNumber().longValue();
        if (seconds == -1) {
            return -1;
        }
        if (seconds < 0) {
            throw new RouterError(ErrorCode.BadValue, "maxStalenessSeconds must be a non-negative integer");
        }
        if (seconds < SMALLEST_MAX_STALENESS_SECONDS) {
            throw new RouterError(ErrorCode.MaxStalenessOutOfRange,
                "maxStalenessSeconds must be at least " + SMALLEST_MAX_STALENESS_SECONDS + " seconds, not " + seconds);
        }
        return seconds;
    }
}
