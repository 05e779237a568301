package io.shardstore.node.server;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.shardstore.node.NodeServices;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.Compressor;
import io.shardstore.protocol.DocumentSequence;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.protocol.LegacyRequest;
import io.shardstore.protocol.MsgHeader;
import io.shardstore.protocol.OpCode;
import io.shardstore.protocol.OpMsg;
import io.shardstore.protocol.OpQuery;
import io.shardstore.protocol.ProtocolException;
import io.shardstore.protocol.WireMessageDecoder;
import io.shardstore.protocol.WireMessageEncoder;
import io.shardstore.protocol.WireRequest;

/**
 * One per connection. Decodes a frame, turns it into a command, hands it to the dispatcher and writes
 * the reply in the request's own format (OP_MSG, or OP_REPLY for a legacy handshake), compressed like
 * the request. Malformed input gets an error reply and a log line; fatal ones also close the connection.
 */
public final class RequestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);
    private static final int QUERY_FAILURE = 1 << 1;

    private final NodeServices node;
    private ClientConnection connection;
    /** Set after a fatal protocol error: the connection is closing and later frames are not to be trusted. */
    private boolean closing;

    public RequestHandler(NodeServices node) {
        this.node = node;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection = new ClientConnection(ctx.channel(), node.nextConnectionId());
        node.connectionOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        node.connectionClosed(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (closing) {
            // Frames pipelined behind a fatal one: mongod stops reading there, and so do we.
            frame.release();
            return;
        }
        MsgHeader header = MsgHeader.peek(frame);
        // Peeked before decoding, which frees the frame when it fails.
        boolean legacy = sentAsOpQuery(frame, header);
        boolean moreToCome = header.opCode() == OpCode.OP_MSG.code() && frame.readableBytes() >= MsgHeader.SIZE + 4
            && (frame.getIntLE(frame.readerIndex() + MsgHeader.SIZE) & OpMsg.MORE_TO_COME) != 0;
        WireRequest request;
        try {
            request = WireMessageDecoder.decode(frame);
        } catch (ProtocolException e) {
            reject(ctx, header, null, legacy, moreToCome, e);
            return;
        }
        try {
            if (request instanceof OpMsg m) {
                onOpMsg(ctx, m);
            } else if (request instanceof OpQuery q) {
                onOpQuery(ctx, q);
            } else {
                onLegacy(ctx, (LegacyRequest) request);
            }
        } catch (ProtocolException e) {
            reject(ctx, header, request.compressor(), request instanceof OpQuery,
                request instanceof OpMsg m && m.moreToCome(), e);
        } finally {
            request.release();
        }
    }

    /** OP_QUERY, or OP_COMPRESSED around one: its client reads an OP_REPLY, so errors must come as one. */
    private static boolean sentAsOpQuery(ByteBuf frame, MsgHeader header) {
        if (header.opCode() == OpCode.OP_QUERY.code()) {
            return true;
        }
        return header.opCode() == OpCode.OP_COMPRESSED.code() && frame.readableBytes() >= MsgHeader.SIZE + 4
            && frame.getIntLE(frame.readerIndex() + MsgHeader.SIZE) == OpCode.OP_QUERY.code();
    }

    private void onOpMsg(ChannelHandlerContext ctx, OpMsg msg) {
        Document body = decode(msg.body());
        for (DocumentSequence seq : msg.sequences()) {
            if (body.containsKey(seq.identifier())) {
                throw new ProtocolException(ErrorCode.BadValue, "Duplicate field '" + seq.identifier()
                    + "': present in the body and as a document sequence", false);
            }
            List<Document> docs = new ArrayList<>(seq.documents().size());
            seq.documents().forEach(d -> docs.add(decode(d)));
            body.put(seq.identifier(), docs);
        }
        if (body.isEmpty()) {
            throw new ProtocolException(ErrorCode.FailedToParse, "command document is empty", false);
        }
        if (!body.containsKey("$db")) {
            // mongod's OpMsgRequest::getDatabase() assertion (40571), which drivers and tests match on.
            throw new ProtocolException(ErrorCode.MissingDbArgument, "OP_MSG requests require a $db argument", false);
        }
        Object db = body.get("$db");
        if (!(db instanceof String dbName) || dbName.isEmpty()) {
            throw new ProtocolException(ErrorCode.FailedToParse, "OP_MSG requests require a $db argument", false);
        }
        String name = body.keySet().iterator().next();
        CommandContext command = new CommandContext(name, dbName, body, connection, node);
        int requestId = msg.requestId();
        boolean noReply = msg.moreToCome();
        int replyFlags = msg.checksumPresent() ? OpMsg.CHECKSUM_PRESENT : 0;
        Compressor compressor = msg.compressor();
        node.dispatcher().dispatch(command).whenComplete((reply, failure) -> {
            if (noReply) {
                return;
            }
            answer(ctx, requestId, () -> {
                Document doc = failure != null ? Errors.reply(failure) : reply;
                ByteBuf encoded = encode(ctx, doc);
                try {
                    ByteBuf out = WireMessageEncoder.opMsg(ctx.alloc(), node.nextRequestId(), requestId, replyFlags, encoded);
                    ctx.writeAndFlush(compressor != null ? WireMessageEncoder.compress(ctx.alloc(), out, compressor) : out);
                } finally {
                    encoded.release();
                }
            });
        });
    }

    private void onOpQuery(ChannelHandlerContext ctx, OpQuery query) {
        Document body = decode(query.query());
        // Drivers may wrap the command as {$query: {...}, $readPreference: ...}.
        if (body.get("$query") instanceof Document inner) {
            body = inner;
        }
        String name = body.isEmpty() ? "" : body.keySet().iterator().next();
        String db = query.commandDatabase();
        if (db == null || !(name.equals("hello") || name.equals("isMaster") || name.equals("ismaster"))) {
            String what = db == null ? "OP_QUERY on " + query.fullCollectionName() : "OP_QUERY command: " + name;
            log.info("rejecting legacy {} from {}", what, ctx.channel().remoteAddress());
            writeReply(ctx, query, Errors.reply(ErrorCode.UnsupportedOpQueryCommand, "Unsupported " + what
                + ". The client driver may require an upgrade. For more details see "
                + "https://dochub.mongodb.org/core/legacy-opcode-removal").append("$err", "Unsupported " + what), QUERY_FAILURE);
            return;
        }
        body.put("$db", db);
        CommandContext command = new CommandContext(name, db, body, connection, node);
        node.dispatcher().dispatch(command).whenComplete((reply, failure) -> answer(ctx, query.requestId(), () ->
            writeReply(ctx, query, failure != null ? Errors.reply(failure) : reply, 0)));
    }

    /**
     * Writes a reply. An exception here would be dropped by the future's callback and the client would wait for
     * ever, so the connection is closed instead: the client sees an error at once (and a driver retries).
     */
    private static void answer(ChannelHandlerContext ctx, int requestId, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            log.error("cannot send the reply to request {} from {}; closing the connection", requestId,
                ctx.channel().remoteAddress(), e);
            ctx.close();
        }
    }

    private void writeReply(ChannelHandlerContext ctx, OpQuery query, Document doc, int flags) {
        ByteBuf encoded = encode(ctx, doc);
        try {
            ByteBuf out = WireMessageEncoder.opReply(ctx.alloc(), node.nextRequestId(), query.requestId(), flags, encoded);
            ctx.writeAndFlush(query.compressor() != null ? WireMessageEncoder.compress(ctx.alloc(), out, query.compressor()) : out);
        } finally {
            encoded.release();
        }
    }

    private void onLegacy(ChannelHandlerContext ctx, LegacyRequest request) {
        log.info("rejecting removed opcode {} from {}", request.opCode(), ctx.channel().remoteAddress());
        if (request.expectsReply()) {
            Document err = Errors.reply(ErrorCode.UnsupportedOpQueryCommand, request.opCode()
                + " is no longer supported. The client driver may require an upgrade.");
            ByteBuf encoded = encode(ctx, err.append("$err", err.get("errmsg")));
            try {
                ByteBuf out = WireMessageEncoder.opReply(ctx.alloc(), node.nextRequestId(), request.requestId(), QUERY_FAILURE, encoded);
                // Compressed like the request, as every other reply is.
                ctx.writeAndFlush(request.compressor() != null ? WireMessageEncoder.compress(ctx.alloc(), out, request.compressor()) : out);
            } finally {
                encoded.release();
            }
        }
    }

    /**
     * Answers a request that could not be parsed; closes the connection when the stream cannot be trusted.
     * The answer is an OP_REPLY with QueryFailure when the client sent OP_QUERY (it reads nothing else), and
     * there is none for a non-fatal error in a moreToCome OP_MSG, whose client reads no reply: one sent anyway
     * would be taken as the answer to its next request.
     */
    private void reject(ChannelHandlerContext ctx, MsgHeader header, Compressor compressor, boolean legacy,
                        boolean moreToCome, ProtocolException e) {
        log.warn("malformed message from {} (requestId {}): {} {}", ctx.channel().remoteAddress(),
            header.requestId(), e.code().codeName(), e.getMessage());
        if (e.fatal()) {
            closing = true;
        } else if (moreToCome) {
            return;
        }
        Document error = Errors.reply(e.code(), e.getMessage());
        ByteBuf encoded = encode(ctx, legacy ? error.append("$err", e.getMessage()) : error);
        ByteBuf out;
        try {
            out = legacy
                ? WireMessageEncoder.opReply(ctx.alloc(), node.nextRequestId(), header.requestId(), QUERY_FAILURE, encoded)
                : WireMessageEncoder.opMsg(ctx.alloc(), node.nextRequestId(), header.requestId(), 0, encoded);
        } finally {
            encoded.release();
        }
        if (compressor != null) {
            out = WireMessageEncoder.compress(ctx.alloc(), out, compressor);
        }
        var written = ctx.writeAndFlush(out);
        if (e.fatal()) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static Document decode(ByteBuf bson) {
        try {
            return BsonDecoder.decodeBson(bson.duplicate());
        } catch (RuntimeException e) {
            throw new ProtocolException(ErrorCode.InvalidBSON, "cannot decode BSON: " + e.getMessage(), false);
        }
    }

    private static ByteBuf encode(ChannelHandlerContext ctx, Document doc) {
        byte[] encoded = io.shardstore.node.command.EncodedReply.bytesOf(doc);
        if (encoded != null) {
            return ctx.alloc().buffer(encoded.length).writeBytes(encoded);
        }
        ByteBuf buf = ctx.alloc().buffer();
        try {
            ReplyEncoder.encode(doc, buf);
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            log.error("cannot encode reply {}", doc, e);
            ByteBuf fallback = ctx.alloc().buffer();
            BsonEncoder.encodeDocument(Errors.reply(ErrorCode.InternalError, "cannot encode reply: " + e.getMessage()), fallback);
            return fallback;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof ProtocolException pe) {
            if (closing) {
                return; // already answered, and the close is under way
            }
            closing = true;
            // The frame decoder cannot find message boundaries any more: say why, then close.
            log.warn("malformed stream from {}: {}; closing the connection", ctx.channel().remoteAddress(), pe.getMessage());
            ByteBuf encoded = encode(ctx, Errors.reply(pe.code(), pe.getMessage()));
            try {
                ctx.writeAndFlush(WireMessageEncoder.opMsg(ctx.alloc(), node.nextRequestId(), 0, 0, encoded))
                    .addListener(ChannelFutureListener.CLOSE);
            } finally {
                encoded.release();
            }
            return;
        }
        log.info("connection {} closed on error: {}", ctx.channel().remoteAddress(), root.toString());
        ctx.close();
    }
}
