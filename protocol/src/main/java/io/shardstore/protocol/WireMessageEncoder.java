package io.shardstore.protocol;

import java.util.zip.CRC32C;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Builds reply frames: OP_MSG (with an optional CRC-32C), OP_REPLY, and OP_COMPRESSED around either. */
public final class WireMessageEncoder {

    private WireMessageEncoder() {
    }

    /** An OP_MSG whose single body section is {@code body} (not released here). */
    public static ByteBuf opMsg(ByteBufAllocator alloc, int requestId, int responseTo, int flags, ByteBuf body) {
        boolean checksum = (flags & OpMsg.CHECKSUM_PRESENT) != 0;
        int length = MsgHeader.SIZE + 4 + 1 + body.readableBytes() + (checksum ? 4 : 0);
        ByteBuf out = alloc.buffer(length);
        new MsgHeader(length, requestId, responseTo, OpCode.OP_MSG.code()).writeTo(out);
        out.writeIntLE(flags);
        out.writeByte(0);
        out.writeBytes(body, body.readerIndex(), body.readableBytes());
        if (checksum) {
            CRC32C crc = new CRC32C();
            crc.update(out.nioBuffer(0, out.writerIndex()));
            out.writeIntLE((int) crc.getValue());
        }
        return out;
    }

    /** An OP_REPLY carrying one document, the answer to an OP_QUERY. */
    public static ByteBuf opReply(ByteBufAllocator alloc, int requestId, int responseTo, int responseFlags, ByteBuf doc) {
        int length = MsgHeader.SIZE + 4 + 8 + 4 + 4 + doc.readableBytes();
        ByteBuf out = alloc.buffer(length);
        new MsgHeader(length, requestId, responseTo, OpCode.OP_REPLY.code()).writeTo(out);
        out.writeIntLE(responseFlags);
        out.writeLongLE(0); // cursorId
        out.writeIntLE(0); // startingFrom
        out.writeIntLE(1); // numberReturned
        out.writeBytes(doc, doc.readerIndex(), doc.readableBytes());
        return out;
    }

    /** Wraps a complete message in OP_COMPRESSED; releases {@code message}. */
    public static ByteBuf compress(ByteBufAllocator alloc, ByteBuf message, Compressor compressor) {
        try {
            MsgHeader header = MsgHeader.peek(message);
            byte[] plain = new byte[message.readableBytes() - MsgHeader.SIZE];
            message.getBytes(message.readerIndex() + MsgHeader.SIZE, plain);
            byte[] packed = compressor.compress(plain);
            int length = MsgHeader.SIZE + 9 + packed.length;
            ByteBuf out = alloc.buffer(length);
            new MsgHeader(length, header.requestId(), header.responseTo(), OpCode.OP_COMPRESSED.code()).writeTo(out);
            out.writeIntLE(header.opCode());
            out.writeIntLE(plain.length);
            out.writeByte(compressor.id());
            out.writeBytes(packed);
            return out;
        } finally {
            message.release();
        }
    }
}
