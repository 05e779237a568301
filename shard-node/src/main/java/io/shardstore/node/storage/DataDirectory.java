package io.shardstore.node.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;

/**
 * The files under {@code --dbpath}: a lock file, {@code checkpoint.bson} (a full image of the data as
 * journal records) and {@code journal/current.wal}. Opening one recovers the data: checkpoint, then the
 * journal replayed on top, then a fresh checkpoint so the journal starts empty.
 */
public final class DataDirectory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    private static final String CHECKPOINT = "checkpoint.bson";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (creating if needed) and locks a data directory; fails with a one-line reason. */
    public static DataDirectory open(Path root) throws StartupException {
        try {
            Files.createDirectories(root.resolve("journal"));
        } catch (IOException e) {
            throw new StartupException("cannot create dbpath " + root + ": " + describe(e));
        }
        if (!Files.isWritable(root)) {
            throw new StartupException("dbpath " + root + " is not writable");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(root.resolve("mongod.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StartupException("cannot open lock file in dbpath " + root + ": " + describe(e));
        }
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                throw new StartupException("dbpath " + root + " is in use by another process (DBPathInUse)");
            }
            return new DataDirectory(root, ch, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new StartupException("dbpath " + root + " is in use by another node in this process (DBPathInUse)");
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StartupException("cannot lock dbpath " + root + ": " + describe(e));
        }
    }

    /** Loads the data into {@code engine}, compacts it into a new checkpoint and attaches a fresh journal. */
    public void recoverInto(StorageEngine engine, long commitIntervalMillis) throws IOException {
        Path journalFile = root.resolve("journal").resolve("current.wal");
        long[] counts = new long[2];
        engine.withoutRecording(() -> {
            try {
                counts[0] = JournalReader.readAndRepair(root.resolve(CHECKPOINT), bytes -> Replay.apply(engine, bytes));
                counts[1] = JournalReader.readAndRepair(journalFile, bytes -> Replay.apply(engine, bytes));
            } catch (IOException e) {
                throw new MongoServerException("recovery failed: " + e.getMessage(), e);
            }
        });
        log.info("recovered {} checkpoint records and {} journal records from {}", counts[0], counts[1], root);
        writeCheckpoint(engine);
        Files.deleteIfExists(journalFile);
        engine.journalTo(new JournalDurability(new Journal(journalFile, commitIntervalMillis)));
    }

    /** Writes the whole data set to checkpoint.tmp, fsyncs it and renames it over the old checkpoint. */
    void writeCheckpoint(StorageEngine engine) throws IOException {
        Path tmp = root.resolve(CHECKPOINT + ".tmp");
        List<Document> image = new ArrayList<>();
        Snapshot.capture(engine, image::add);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            CRC32C crc = new CRC32C();
            for (Document record : image) {
                byte[] bytes = JournalRecords.encode(record);
                crc.reset();
                crc.update(bytes);
                ByteBuffer buf = ByteBuffer.allocate(Journal.RECORD_HEADER + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
                buf.putInt(bytes.length).putInt((int) crc.getValue()).put(bytes).flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            ch.force(true);
        }
        Files.move(tmp, root.resolve(CHECKPOINT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(root, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            log.debug("cannot fsync directory {}: {}", root, e.toString());
        }
        log.info("checkpoint of {} records written to {}", image.size(), root.resolve(CHECKPOINT));
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            log.debug("releasing dbpath lock: {}", e.toString());
        }
        closeQuietly(lockChannel);
    }

    private static String describe(IOException e) {
        return e instanceof AccessDeniedException ? "permission denied" : e.getClass().getSimpleName() + " " + e.getMessage();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing left to do with a channel we are giving up on
        }
    }
}
