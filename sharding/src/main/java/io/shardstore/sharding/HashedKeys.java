package io.shardstore.sharding;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.bson.BsonBinaryWriter;
import org.bson.BsonValue;
import org.bson.codecs.BsonValueCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

/**
 * The 64-bit hash of a hashed shard-key field, computed like MongoDB's hashed index: MD5 over a seed and
 * the value's canonical type and bytes, the first 8 bytes read little-endian. Numbers that are equal
 * hash equally whatever their BSON type (1, 1L and 1.0 land in the same chunk).
 */
public final class HashedKeys {
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private HashedKeys() {
    }

    public static long hash(BsonValue value) {
        MessageDigest md5 = MD5.get();
        md5.reset();
        md5.update(new byte[4]); // seed 0
        feed(md5, value);
        byte[] digest = md5.digest();
        return ByteBuffer.wrap(digest, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static void feed(MessageDigest md5, BsonValue value) {
        md5.update((byte) BsonOrder.rank(value.getBsonType()));
        switch (value.getBsonType()) {
            case INT32, INT64, DOUBLE, DECIMAL128 -> {
                double d = value.asNumber().doubleValue();
                long l = value.asNumber().longValue();
                // Integral numbers hash as a long, others by their double bits.
                long bits = (double) l == d || !value.isDouble() ? l : Double.doubleToLongBits(d);
                md5.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(bits).array());
            }
            case STRING -> md5.update(value.asString().getValue().getBytes(StandardCharsets.UTF_8));
            case SYMBOL -> md5.update(value.asSymbol().getSymbol().getBytes(StandardCharsets.UTF_8));
            case OBJECT_ID -> md5.update(value.asObjectId().getValue().toByteArray());
            case BOOLEAN -> md5.update((byte) (value.asBoolean().getValue() ? 1 : 0));
            case DATE_TIME -> md5.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value.asDateTime().getValue()).array());
            case BINARY -> {
                md5.update(value.asBinary().getType());
                md5.update(value.asBinary().getData());
            }
            case NULL, UNDEFINED, MIN_KEY, MAX_KEY -> {
            }
            default -> md5.update(encode(value));
        }
    }

    private static byte[] encode(BsonValue value) {
        BasicOutputBuffer out = new BasicOutputBuffer();
        try (BsonBinaryWriter writer = new BsonBinaryWriter(out)) {
            writer.writeStartDocument();
            writer.writeName("v");
            new BsonValueCodec().encode(writer, value, EncoderContext.builder().build());
            writer.writeEndDocument();
        }
        return out.toByteArray();
    }

    /** Evenly spaced split points of the hash space for {@code n} initial chunks. */
    public static long[] splitPoints(int n) {
        long[] points = new long[n - 1];
        java.math.BigInteger span = java.math.BigInteger.ONE.shiftLeft(64);
        java.math.BigInteger min = java.math.BigInteger.valueOf(Long.MIN_VALUE);
        for (int i = 1; i < n; i++) {
            points[i - 1] = min.add(span.multiply(java.math.BigInteger.valueOf(i)).divide(java.math.BigInteger.valueOf(n))).longValue();
        }
        return points;
    }

}
