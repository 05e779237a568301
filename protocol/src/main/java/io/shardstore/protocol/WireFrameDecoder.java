package io.shardstore.protocol;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Cuts the byte stream into frames by the length in the header. A length below the header size or
 * above maxMessageSizeBytes cannot be resynchronised, so it raises a fatal {@link ProtocolException}.
 * <p>
 * On a server's client connections ({@link IncomingLimits} given) it also accounts for the bytes of the message not
 * yet complete: the connection is closed when that would take the server's total over its bound, or when no byte of
 * the message has come for the timeout (a sender that stopped half-way holds memory for nothing).
 */
public final class WireFrameDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(WireFrameDecoder.class);

    private final IncomingLimits limits;
    /** Set once the stream has lost its frame boundaries; whatever arrives afterwards is garbage. */
    private boolean failed;
    /** Bytes of an incomplete message this connection holds, as last reported to {@link #limits}. */
    private long held;
    private long lastProgressNanos;
    private ScheduledFuture<?> idleCheck;

    /** Without limits: a client-side connection (the router's to its shards). */
    public WireFrameDecoder() {
        this(null);
    }

    public WireFrameDecoder(IncomingLimits limits) {
        this.limits = limits;
        if (limits != null) {
            // A message arriving in many reads is kept as the buffers those reads filled, not copied into one buffer
            // that grows by doubling: what a connection holds is then what it sent, which is what the bound counts.
            // A message that arrives in one read (almost all of them) is not affected.
            setCumulator(COMPOSITE_CUMULATOR);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            // The connection is being closed; cutting later bytes into "frames" would only produce
            // more bogus requests and error replies.
            in.skipBytes(in.readableBytes());
            account(ctx, 0);
            return;
        }
        if (in.readableBytes() >= 4) {
            int length = in.getIntLE(in.readerIndex());
            if (length < MsgHeader.SIZE || length > WireLimits.MAX_MESSAGE_SIZE_BYTES) {
                failed = true;
                in.skipBytes(in.readableBytes());
                account(ctx, 0);
                throw new ProtocolException(ErrorCode.ProtocolError, "message length " + length + " is outside "
                    + MsgHeader.SIZE + ".." + WireLimits.MAX_MESSAGE_SIZE_BYTES, true);
            }
            if (in.readableBytes() >= length) {
                // A message that came in several reads sits in a composite of their buffers: it goes on as one buffer,
                // so the checks and copies that read it do not look for a component at every byte.
                out.add(in instanceof CompositeByteBuf ? in.readBytes(length) : in.readRetainedSlice(length));
                account(ctx, in.readableBytes());
                return;
            }
        }
        account(ctx, in.readableBytes());
    }

    /** Reports the incomplete bytes now held; closes the connection when they are over the server's bound. */
    private void account(ChannelHandlerContext ctx, long now) {
        if (limits == null) {
            return;
        }
        long delta = now - held;
        if (delta != 0) {
            lastProgressNanos = System.nanoTime();
        }
        held = now;
        if (!limits.hold(delta, now)) {
            limits.closedForBytes();
            log.warn("closing connection {}: its incomplete message ({} bytes so far) would take the bytes held for "
                + "incomplete messages over {} (--maxIncompleteMessageBytes)", ctx.channel().remoteAddress(), now,
                limits.maxIncompleteBytes());
            drop(ctx);
            return;
        }
        if (now > 0 && idleCheck == null) {
            scheduleIdleCheck(ctx, limits.incompleteTimeoutMillis());
        }
    }

    private void scheduleIdleCheck(ChannelHandlerContext ctx, long delayMillis) {
        idleCheck = ctx.executor().schedule(() -> checkIdle(ctx), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void checkIdle(ChannelHandlerContext ctx) {
        idleCheck = null;
        if (held == 0 || failed) {
            return;
        }
        long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastProgressNanos);
        if (idleMillis >= limits.incompleteTimeoutMillis()) {
            limits.closedForIdleness();
            log.warn("closing connection {}: no byte of its incomplete message ({} bytes so far) for {} ms "
                + "(--incompleteMessageTimeoutMS)", ctx.channel().remoteAddress(), held, idleMillis);
            drop(ctx);
        } else {
            scheduleIdleCheck(ctx, limits.incompleteTimeoutMillis() - idleMillis);
        }
    }

    /** Stops reading, gives the held bytes back to the server's total and closes the connection. */
    private void drop(ChannelHandlerContext ctx) {
        failed = true;
        release();
        ByteBuf cumulation = internalBuffer();
        if (cumulation.isReadable()) {
            cumulation.skipBytes(cumulation.readableBytes());
        }
        ctx.close();
    }

    private void release() {
        if (limits != null && held != 0) {
            limits.hold(-held, 0);
            held = 0;
        }
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        release();
        super.channelInactive(ctx);
    }
}
