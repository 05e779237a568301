package io.shardstore.node.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads journal records in order. A record whose header or body runs past the end of the file, or whose
 * checksum does not match, is a torn tail left by a crash mid-write: reading stops there, and
 * {@link #readAndRepair} cuts the file back to the last whole record.
 */
public final class JournalReader {
    private static final Logger log = LoggerFactory.getLogger(JournalReader.class);
    private static final int MAX_RECORD = 64 * 1024 * 1024;

    private JournalReader() {
    }

    /** @return the number of records read */
    public static long readAndRepair(Path file, Consumer<byte[]> sink) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long pos = 0;
            long count = 0;
            ByteBuffer header = ByteBuffer.allocate(Journal.RECORD_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            CRC32C crc = new CRC32C();
            String torn = null;
            while (pos < size) {
                if (size - pos < Journal.RECORD_HEADER) {
                    torn = "a partial record header";
                    break;
                }
                header.clear();
                readFully(ch, header, pos);
                header.flip();
                int length = header.getInt();
                int checksum = header.getInt();
                if (length < 0 || length > MAX_RECORD || length > size - pos - Journal.RECORD_HEADER) {
                    torn = "a record of length " + length + " that does not fit";
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(ch, body, pos + Journal.RECORD_HEADER);
                crc.reset();
                crc.update(body.array());
                if ((int) crc.getValue() != checksum) {
                    torn = "a record whose checksum does not match";
                    break;
                }
                sink.accept(body.array());
                count++;
                pos += Journal.RECORD_HEADER + length;
            }
            if (torn != null) {
                log.warn("journal {}: torn tail at offset {} ({}); truncating {} bytes", file, pos, torn, size - pos);
                ch.truncate(pos);
                ch.force(true);
            }
            return count;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        while (dst.hasRemaining()) {
            int n = ch.read(dst, position);
            if (n < 0) {
                throw new IOException("unexpected end of journal");
            }
            position += n;
        }
    }
}
