package io.shardstore.node.replication;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A blocking OP_MSG client to one other member, for replication's own threads (heartbeats, votes, oplog fetching);
 * never used on an event loop or the storage thread. One connection, reopened after any failure.
 */
public final class PeerClient implements AutoCloseable {
    private static final int OP_MSG = 2013;

    private final String host;
    private final int timeoutMillis;
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;
    private int requestId;

    /** The cluster's key: each new connection logs in as __system with it first; null without --keyFile. */
    private final io.shardstore.security.KeyFile key;

    public PeerClient(String host, int timeoutMillis) {
        this(host, timeoutMillis, null);
    }

    public PeerClient(String host, int timeoutMillis, io.shardstore.security.KeyFile key) {
        this(host, timeoutMillis, key, io.shardstore.protocol.TlsOptions.DISABLED);
    }

    /** TLS for this connection when {@code tls} says this process's own connections use it (preferTLS, requireTLS). */
    private final io.shardstore.protocol.TlsOptions tls;

    public PeerClient(String host, int timeoutMillis, io.shardstore.security.KeyFile key, io.shardstore.protocol.TlsOptions tls) {
        this.host = host;
        this.timeoutMillis = timeoutMillis;
        this.key = key;
        this.tls = tls;
    }

    public int timeoutMillis() {
        return timeoutMillis;
    }

    public String host() {
        return host;
    }

    /** Runs a command; a reply with ok: 0 is returned, not thrown. */
    public synchronized Document run(String db, Document command) throws IOException {
        try {
            if (socket == null) {
                open();
                if (key != null) {
                    login();
                }
            }
            return exchange(db, command);
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    /** SCRAM-SHA-256 as __system@local with the cluster's key (mongod's internal authentication with a key file). */
    private void login() throws IOException {
        io.shardstore.security.ScramClient scram = new io.shardstore.security.ScramClient(io.shardstore.security.ScramMechanism.SHA_256,
            io.shardstore.security.KeyFile.SYSTEM_USER, key.password());
        Document first = exchange(io.shardstore.security.KeyFile.SYSTEM_DB, new Document("saslStart", 1)
            .append("mechanism", scram.mechanism().mechanismName()).append("payload", new de.bwaldvogel.mongo.bson.BinData(scram.first()))
            .append("options", new Document("skipEmptyExchange", true)));
        byte[] serverFirst = payload(first);
        Document second = exchange(io.shardstore.security.KeyFile.SYSTEM_DB, new Document("saslContinue", 1)
            .append("conversationId", first.get("conversationId"))
            .append("payload", new de.bwaldvogel.mongo.bson.BinData(scram.finalMessage(serverFirst))));
        scram.verify(payload(second));
    }

    private byte[] payload(Document reply) throws IOException {
        Object payload = reply.get("payload");
        if (payload instanceof de.bwaldvogel.mongo.bson.BinData data) {
            return data.getData();
        }
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        throw new IOException("internal authentication to " + host + " failed: " + reply.get("errmsg"));
    }

    private Document exchange(String db, Document command) throws IOException {
        {
            command.put("$db", db);
            ByteBuf buf = Unpooled.buffer();
            try {
                buf.writeIntLE(0).writeIntLE(++requestId).writeIntLE(0).writeIntLE(OP_MSG).writeIntLE(0).writeByte(0);
                BsonEncoder.encodeDocument(command, buf);
                buf.setIntLE(0, buf.readableBytes());
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                out.write(bytes);
                out.flush();
            } finally {
                buf.release();
            }
            byte[] header = new byte[16];
            in.readFully(header);
            ByteBuf h = Unpooled.wrappedBuffer(header);
            int length = h.getIntLE(0);
            int opCode = h.getIntLE(12);
            if (length < 21 || length > 48_000_000 || opCode != OP_MSG) {
                throw new IOException("unexpected reply from " + host + ": opCode " + opCode + ", length " + length);
            }
            byte[] rest = new byte[length - 16];
            in.readFully(rest);
            ByteBuf r = Unpooled.wrappedBuffer(rest);
            r.readIntLE(); // flags
            if (r.readByte() != 0) {
                throw new IOException("reply from " + host + " does not start with a body section");
            }
            return BsonDecoder.decodeBson(r);
        }
    }

    private void open() throws IOException {
        int colon = host.lastIndexOf(':');
        String name = colon < 0 ? host : host.substring(0, colon);
        int port = colon < 0 ? 27017 : Integer.parseInt(host.substring(colon + 1));
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(name, port), Math.min(timeoutMillis, 2_000));
            s.setSoTimeout(timeoutMillis);
            s.setTcpNoDelay(true);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        if (tls.outgoing()) {
            javax.net.ssl.SSLSocket secure = (javax.net.ssl.SSLSocket) tls.jdkClientContext().getSocketFactory().createSocket(s, name, port, true);
            if (!tls.allowInvalidCertificates()) {
                javax.net.ssl.SSLParameters params = secure.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(params);
            }
            try {
                secure.startHandshake();
            } catch (IOException e) {
                secure.close();
                throw e;
            }
            s = secure;
        }
        socket = s;
        in = new DataInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    @Override
    public synchronized void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
