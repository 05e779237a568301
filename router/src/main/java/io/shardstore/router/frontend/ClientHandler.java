package io.shardstore.router.frontend;

import io.shardstore.router.engine.Docs;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.shardstore.protocol.Compressor;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.protocol.LegacyRequest;
import io.shardstore.protocol.MsgHeader;
import io.shardstore.protocol.OpMsg;
import io.shardstore.protocol.OpQuery;
import io.shardstore.protocol.ProtocolException;
import io.shardstore.protocol.WireMessageDecoder;
import io.shardstore.protocol.WireMessageEncoder;
import io.shardstore.protocol.WireRequest;
import io.shardstore.router.command.RouterDispatcher;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.BsonBytes;
import io.shardstore.router.engine.Exec;

/**
 * One per client connection: decodes a frame (validated by the protocol module), dispatches the command
 * and writes the reply in the request's format, compressed like the request. Nothing here blocks: the
 * reply is written when the command's future completes.
 * <p>
 * As mongod and mongos do, a connection's requests run one after another in the order they came: a request that
 * arrives while the previous one runs (a driver sends unacknowledged {@code w: 0} writes without waiting) waits
 * in {@link #waiting} until it is done, so two writes of one connection never overtake each other on different
 * shard connections. Past {@link #MAX_WAITING} waiting frames the connection stops reading until they are done.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);
    private static final int QUERY_FAILURE = 1 << 1;
    private static final int MAX_WAITING = 16;

    private final Exec shared;
    private final RouterDispatcher dispatcher;
    private Exec exec;
    private int replyIds;
    private boolean closing;
    /** Frames that came while a request of this connection was running; handled in order, each after the last. */
    private final java.util.ArrayDeque<ByteBuf> waiting = new java.util.ArrayDeque<>();
    /** A request of this connection is running (set on the event loop only). */
    private boolean busy;
    /** In {@link #handle}: a request that completes at once must not handle the next one from inside it. */
    private boolean handling;

    public ClientHandler(Exec shared, RouterDispatcher dispatcher) {
        this.shared = shared;
        this.dispatcher = dispatcher;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ClientInfo client = new ClientInfo(shared.router().connectionOpened(), ctx.channel().remoteAddress());
        client.closeWith(() -> ctx.channel().close());
        exec = shared.forClient(client);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        shared.router().connectionClosed();
        waiting.forEach(ByteBuf::release);
        waiting.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (closing) {
            frame.release();
            return;
        }
        if (busy) {
            waiting.add(frame);
            if (waiting.size() >= MAX_WAITING) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        handling = true;
        try {
            handle(ctx, frame);
        } finally {
            handling = false;
        }
        resume(ctx);
    }

    /** Called when a request is done (on any thread): the connection's next waiting request may run. */
    private void done(ChannelHandlerContext ctx) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> done(ctx));
            return;
        }
        busy = false;
        if (!handling) {
            resume(ctx);
        }
    }

    /** Handles waiting frames in order until one is still running. */
    private void resume(ChannelHandlerContext ctx) {
        while (!busy && !waiting.isEmpty()) {
            ByteBuf next = waiting.poll();
            if (closing) {
                next.release();
                continue;
            }
            handling = true;
            try {
                handle(ctx, next);
            } finally {
                handling = false;
            }
        }
        if (waiting.isEmpty() && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void handle(ChannelHandlerContext ctx, ByteBuf frame) {
        MsgHeader header = MsgHeader.peek(frame);
        WireRequest request;
        try {
            request = WireMessageDecoder.decode(frame);
        } catch (ProtocolException e) {
            reject(ctx, header, null, e);
            return;
        }
        try {
            if (request instanceof OpMsg m) {
                onOpMsg(ctx, m);
            } else if (request instanceof OpQuery q) {
                onOpQuery(ctx, q);
            } else {
                LegacyRequest legacy = (LegacyRequest) request;
                log.info("rejecting removed opcode {} from {}", legacy.opCode(), ctx.channel().remoteAddress());
                if (legacy.expectsReply()) {
                    writeOpReply(ctx, legacy.requestId(), null, new RouterError(ErrorCode.UnsupportedOpQueryCommand,
                        legacy.opCode() + " is no longer supported").toReply(), QUERY_FAILURE);
                }
            }
        } catch (ProtocolException e) {
            busy = false; // refused before it was dispatched
            reject(ctx, header, request.compressor(), e);
        } catch (RuntimeException e) {
            busy = false;
            log.warn("bad request from {}: {}", ctx.channel().remoteAddress(), e.toString());
            writeOpMsg(ctx, header.requestId(), 0, request.compressor(), new RouterError(ErrorCode.BadValue, e.getMessage()).toReply());
        } finally {
            request.release();
        }
    }

    private void onOpMsg(ChannelHandlerContext ctx, OpMsg msg) {
        RouterRequest request = RouterRequest.of(msg);
        int requestId = msg.requestId();
        int flags = msg.checksumPresent() ? OpMsg.CHECKSUM_PRESENT : 0;
        Compressor compressor = msg.compressor();
        boolean noReply = msg.moreToCome();
        if (!noReply && flags == 0 && compressor == null) {
            request.replyDirectly(new DirectReply(this, ctx, requestId));
        }
        busy = true;
        dispatcher.dispatch(request, exec).whenComplete((reply, failure) -> {
            if (!noReply && reply != DirectReply.SENT) {
                writeOpMsg(ctx, requestId, flags, compressor, reply != null ? reply
                    : new RouterError(ErrorCode.InternalError, String.valueOf(failure)).toReply());
            }
            done(ctx);
        });
    }

    private void onOpQuery(ChannelHandlerContext ctx, OpQuery query) {
        RawBsonDocument body = RouterRequest.raw(query.query());
        BsonDocument command = body.isDocument("$query") ? body.getDocument("$query") : body;
        String name = command.isEmpty() ? "" : command.getFirstKey();
        String db = query.commandDatabase();
        if (db == null || !(name.equals("hello") || name.equals("isMaster") || name.equals("ismaster"))) {
            String what = db == null ? "OP_QUERY on " + query.fullCollectionName() : "OP_QUERY command: " + name;
            writeOpReply(ctx, query.requestId(), query.compressor(), new RouterError(ErrorCode.UnsupportedOpQueryCommand,
                "Unsupported " + what + ". The client driver may require an upgrade.").toReply(), QUERY_FAILURE);
            return;
        }
        BsonDocument withDb = Docs.copy(command).append("$db", new org.bson.BsonString(db));
        RouterRequest request = new RouterRequest(name, db, new RawBsonDocument(withDb, new org.bson.codecs.BsonDocumentCodec()),
            java.util.Map.of(), null);
        int requestId = query.requestId();
        Compressor compressor = query.compressor();
        busy = true;
        dispatcher.dispatch(request, exec).whenComplete((reply, failure) -> {
            writeOpReply(ctx, requestId, compressor, reply != null ? reply
                : new RouterError(ErrorCode.InternalError, String.valueOf(failure)).toReply(), 0);
            done(ctx);
        });
    }

    private void writeOpMsg(ChannelHandlerContext ctx, int responseTo, int flags, Compressor compressor, BsonDocument reply) {
        ByteBuf out = WireMessageEncoder.opMsg(ctx.alloc(), ++replyIds, responseTo, flags, Unpooled.wrappedBuffer(bytes(reply)));
        // No promise per reply: a failed write reaches exceptionCaught, which closes the connection.
        ctx.writeAndFlush(compressor != null ? WireMessageEncoder.compress(ctx.alloc(), out, compressor) : out, ctx.voidPromise());
    }

    /** A shard's reply frame, as it came but for its ids, for the request {@code responseTo} ({@link DirectReply}). */
    void writeShardFrame(ChannelHandlerContext ctx, int responseTo, ByteBuf frame) {
        if (!ctx.executor().inEventLoop()) {
            try {
                ctx.executor().execute(() -> writeShardFrame(ctx, responseTo, frame));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                frame.release(); // the connection's loop is shutting down: the reply cannot go anywhere
            }
            return;
        }
        int base = frame.readerIndex();
        frame.setIntLE(base + 4, ++replyIds).setIntLE(base + 8, responseTo);
        ctx.writeAndFlush(frame, ctx.voidPromise());
        shared.router().replyForwarded();
    }

    private void writeOpReply(ChannelHandlerContext ctx, int responseTo, Compressor compressor, BsonDocument reply, int flags) {
        ByteBuf body = Unpooled.wrappedBuffer(bytes(reply));
        ByteBuf out = WireMessageEncoder.opReply(ctx.alloc(), ++replyIds, responseTo, flags, body);
        ctx.writeAndFlush(compressor != null ? WireMessageEncoder.compress(ctx.alloc(), out, compressor) : out);
    }

    private static byte[] bytes(BsonDocument doc) {
        RawBsonDocument raw = doc instanceof RawBsonDocument r ? r : new RawBsonDocument(doc, new org.bson.codecs.BsonDocumentCodec());
        return BsonBytes.bytes(raw);
    }

    private void reject(ChannelHandlerContext ctx, MsgHeader header, Compressor compressor, ProtocolException e) {
        log.warn("malformed message from {} (requestId {}): {} {}", ctx.channel().remoteAddress(), header.requestId(),
            e.code().codeName(), e.getMessage());
        if (header.opCode() == io.shardstore.protocol.OpCode.OP_QUERY.code()) {
            writeOpReply(ctx, header.requestId(), compressor, new RouterError(e.code(), e.getMessage()).toReply(), QUERY_FAILURE);
        } else {
            writeOpMsg(ctx, header.requestId(), 0, compressor, new RouterError(e.code(), e.getMessage()).toReply());
        }
        if (e.fatal()) {
            closing = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof ProtocolException pe) {
            log.warn("malformed stream from {}: {}; closing the connection", ctx.channel().remoteAddress(), pe.getMessage());
            closing = true;
            writeOpMsg(ctx, 0, 0, null, new RouterError(pe.code(), pe.getMessage()).toReply());
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        log.info("connection {} closed on error: {}", ctx.channel().remoteAddress(), root.toString());
        ctx.close();
    }
}
