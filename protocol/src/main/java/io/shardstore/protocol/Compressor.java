package io.shardstore.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.xerial.snappy.Snappy;

import com.github.luben.zstd.Zstd;

/** The OP_COMPRESSED compressors, by their wire id and their name in hello's {@code compression} list. */
public enum Compressor {
    NOOP(0, "noop"),
    SNAPPY(1, "snappy"),
    ZLIB(2, "zlib"),
    ZSTD(3, "zstd");

    private final int id;
    private final String wireName;

    Compressor(int id, String wireName) {
        this.id = id;
        this.wireName = wireName;
    }

    public int id() {
        return id;
    }

    public String wireName() {
        return wireName;
    }

    public static Compressor byId(int id) {
        for (Compressor c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        return null;
    }

    public static Compressor byName(String name) {
        for (Compressor c : values()) {
            if (c.wireName.equals(name)) {
                return c;
            }
        }
        return null;
    }

    public byte[] compress(byte[] in) {
        try {
            return switch (this) {
                case NOOP -> in;
                case SNAPPY -> Snappy.compress(in);
                case ZSTD -> Zstd.compress(in);
                case ZLIB -> {
                    Deflater deflater = new Deflater();
                    try {
                        deflater.setInput(in);
                        deflater.finish();
                        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, in.length / 2));
                        byte[] chunk = new byte[8192];
                        while (!deflater.finished()) {
                            out.write(chunk, 0, deflater.deflate(chunk));
                        }
                        yield out.toByteArray();
                    } finally {
                        deflater.end();
                    }
                }
            };
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.ProtocolError, wireName + " compression failed: " + e.getMessage(), true);
        }
    }

    /** Decompresses into exactly {@code uncompressedSize} bytes, or fails. */
    public byte[] decompress(byte[] in, int uncompressedSize) {
        byte[] out;
        try {
            out = switch (this) {
                case NOOP -> in;
                case SNAPPY -> {
                    if (!Snappy.isValidCompressedBuffer(in) || Snappy.uncompressedLength(in) != uncompressedSize) {
                        throw mismatch();
                    }
                    yield Snappy.uncompress(in);
                }
                case ZSTD -> {
                    byte[] dst = new byte[uncompressedSize];
                    long n = Zstd.decompressByteArray(dst, 0, dst.length, in, 0, in.length);
                    if (Zstd.isError(n)) {
                        throw new ProtocolException(ErrorCode.ProtocolError, "zstd: " + Zstd.getErrorName(n), true);
                    }
                    yield n == uncompressedSize ? dst : null;
                }
                case ZLIB -> {
                    Inflater inflater = new Inflater();
                    try {
                        inflater.setInput(in);
                        byte[] dst = new byte[uncompressedSize];
                        int n = inflater.inflate(dst);
                        yield n == uncompressedSize && inflater.finished() ? dst : null;
                    } finally {
                        inflater.end();
                    }
                }
            };
        } catch (ProtocolException e) {
            throw e;
        } catch (IOException | DataFormatException | RuntimeException e) {
            // zstd-jni reports corrupt input with an unchecked ZstdException (and the native libraries may
            // throw other unchecked errors); anything that escaped as such closed the connection with no reply.
            throw new ProtocolException(ErrorCode.ProtocolError, wireName + " decompression failed: " + e.getMessage(), true);
        }
        if (out == null || out.length != uncompressedSize) {
            throw mismatch();
        }
        return out;
    }

    private ProtocolException mismatch() {
        return new ProtocolException(ErrorCode.ProtocolError,
            "OP_COMPRESSED (" + wireName + ") did not decompress to its declared uncompressedSize", true);
    }
}
