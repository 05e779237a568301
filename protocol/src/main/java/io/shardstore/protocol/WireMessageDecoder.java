package io.shardstore.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Turns one complete frame (header included) into a {@link WireRequest}. It validates what it parses:
 * flag bits, section kinds, checksums and every BSON document, so the layers above never see malformed input.
 */
public final class WireMessageDecoder {

    private WireMessageDecoder() {
    }

    /**
     * Decodes {@code frame}, taking ownership of it: on success the request's {@link WireRequest#release()}
     * frees it, on failure it is freed here.
     */
    public static WireRequest decode(ByteBuf frame) {
        try {
            return decode(frame, MsgHeader.peek(frame), null);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
    }

    private static WireRequest decode(ByteBuf frame, MsgHeader header, Compressor compressor) {
        if (header.messageLength() != frame.readableBytes()) {
            throw new ProtocolException(ErrorCode.ProtocolError, "message length " + header.messageLength()
                + " does not match the " + frame.readableBytes() + " bytes of the frame", true);
        }
        OpCode op = OpCode.of(header.opCode());
        if (op == null) {
            throw new ProtocolException(ErrorCode.ProtocolError, "unknown opcode " + header.opCode(), true);
        }
        return switch (op) {
            case OP_MSG -> opMsg(frame, header, compressor);
            case OP_QUERY -> opQuery(frame, header, compressor);
            case OP_COMPRESSED -> {
                if (compressor != null) {
                    throw new ProtocolException(ErrorCode.ProtocolError, "OP_COMPRESSED inside OP_COMPRESSED", true);
                }
                yield opCompressed(frame, header);
            }
            case OP_REPLY -> throw new ProtocolException(ErrorCode.ProtocolError, "OP_REPLY is a server reply, not a request", true);
            default -> new LegacyRequest(header, op, compressor, frame);
        };
    }

    private static WireRequest opCompressed(ByteBuf frame, MsgHeader header) {
        int base = frame.readerIndex();
        if (header.messageLength() < MsgHeader.SIZE + 9) {
            throw new ProtocolException(ErrorCode.ProtocolError, "OP_COMPRESSED shorter than its fixed fields", true);
        }
        int originalOpCode = frame.getIntLE(base + 16);
        int uncompressedSize = frame.getIntLE(base + 20);
        int compressorId = frame.getUnsignedByte(base + 24);
        Compressor compressor = Compressor.byId(compressorId);
        if (compressor == null) {
            throw new ProtocolException(ErrorCode.ProtocolError, "unknown compressor id " + compressorId, true);
        }
        if (uncompressedSize < 0 || uncompressedSize > WireLimits.MAX_MESSAGE_SIZE_BYTES - MsgHeader.SIZE) {
            throw new ProtocolException(ErrorCode.ProtocolError, "OP_COMPRESSED uncompressedSize " + uncompressedSize
                + " is outside 0.." + (WireLimits.MAX_MESSAGE_SIZE_BYTES - MsgHeader.SIZE), true);
        }
        byte[] compressed = new byte[header.messageLength() - 25];
        frame.getBytes(base + 25, compressed);
        byte[] plain = compressor.decompress(compressed, uncompressedSize);
        ByteBuf inner = Unpooled.buffer(MsgHeader.SIZE + plain.length);
        MsgHeader innerHeader = new MsgHeader(MsgHeader.SIZE + plain.length, header.requestId(), header.responseTo(), originalOpCode);
        innerHeader.writeTo(inner);
        inner.writeBytes(plain);
        WireRequest request;
        try {
            request = decode(inner, innerHeader, compressor);
        } catch (RuntimeException e) {
            inner.release();
            throw e;
        }
        // Only now, once nothing can fail: on failure decode(ByteBuf) releases the frame itself, and
        // releasing it here first made that a double release whose IllegalReferenceCountException
        // replaced the ProtocolException, so a malformed compressed message got no error reply.
        frame.release();
        return request;
    }

    /** The identifiers drivers send, as constants: a string decoded per request for the usual ones was measurable. */
    private static final String[] IDENTIFIERS = {"documents", "updates", "deletes", "ops", "nsInfo"};

    private static String identifier(ByteBuf frame, int at, int length) {
        for (String known : IDENTIFIERS) {
            if (known.length() == length && equalsAscii(frame, at, known)) {
                return known;
            }
        }
        return frame.toString(at, length, StandardCharsets.UTF_8);
    }

    private static boolean equalsAscii(ByteBuf frame, int at, String known) {
        for (int i = 0; i < known.length(); i++) {
            if (frame.getByte(at + i) != known.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static OpMsg opMsg(ByteBuf frame, MsgHeader header, Compressor compressor) {
        int base = frame.readerIndex();
        int end = base + header.messageLength();
        if (header.messageLength() < MsgHeader.SIZE + 4 + 1 + 5) {
            throw new ProtocolException(ErrorCode.ProtocolError, "OP_MSG too short to hold a body section", true);
        }
        int flags = frame.getIntLE(base + 16);
        int unknownRequired = flags & 0xFFFF & ~(OpMsg.CHECKSUM_PRESENT | OpMsg.MORE_TO_COME);
        if (unknownRequired != 0) {
            throw new ProtocolException(ErrorCode.IllegalOpMsgFlag,
                "Unrecognized required flag bit(s) 0x" + Integer.toHexString(unknownRequired) + " in OP_MSG", true);
        }
        if ((flags & OpMsg.CHECKSUM_PRESENT) != 0) {
            end -= 4;
            if (end - base < MsgHeader.SIZE + 4 + 1 + 5) {
                throw new ProtocolException(ErrorCode.ProtocolError, "OP_MSG too short to hold its checksum", true);
            }
            // A checksum over a compressed message is the compressor's business; mongod skips it there.
            if (compressor == null) {
                CRC32C crc = new CRC32C();
                crc.update(frame.nioBuffer(base, end - base));
                int expected = frame.getIntLE(end);
                if ((int) crc.getValue() != expected) {
                    throw new ProtocolException(ErrorCode.ChecksumMismatch, "OP_MSG checksum does not match contents", true);
                }
            }
        }
        ByteBuf body = null;
        List<DocumentSequence> sequences = new ArrayList<>(0);
        int pos = base + 20;
        while (pos < end) {
            int kind = frame.getUnsignedByte(pos++);
            if (kind == 0) {
                if (body != null) {
                    throw new ProtocolException(ErrorCode.MultipleBodySections, "Multiple body sections in message", true);
                }
                int size = BsonValidator.validate(frame, pos, end, WireLimits.MAX_COMMAND_OBJECT_SIZE);
                body = frame.slice(pos, size);
                pos += size;
            } else if (kind == 1) {
                if (end - pos < 4) {
                    throw new ProtocolException(ErrorCode.ProtocolError, "truncated document sequence", true);
                }
                int size = frame.getIntLE(pos);
                if (size < 5 || size > end - pos) {
                    throw new ProtocolException(ErrorCode.ProtocolError, "document sequence size " + size + " is invalid", true);
                }
                int seqEnd = pos + size;
                int nameEnd = frame.indexOf(pos + 4, seqEnd, (byte) 0);
                if (nameEnd < 0) {
                    throw new ProtocolException(ErrorCode.ProtocolError, "document sequence identifier is not terminated", true);
                }
                String identifier = identifier(frame, pos + 4, nameEnd - pos - 4);
                List<ByteBuf> docs = new ArrayList<>(4);
                int p = nameEnd + 1;
                while (p < seqEnd) {
                    int docSize = BsonValidator.validate(frame, p, seqEnd, WireLimits.MAX_BSON_OBJECT_SIZE);
                    docs.add(frame.slice(p, docSize));
                    p += docSize;
                }
                for (DocumentSequence existing : sequences) {
                    if (existing.identifier().equals(identifier)) {
                        throw new ProtocolException(ErrorCode.ProtocolError, "Duplicate document sequence: " + identifier, true);
                    }
                }
                sequences.add(new DocumentSequence(identifier, docs));
                pos = seqEnd;
            } else {
                throw new ProtocolException(ErrorCode.UnknownSectionKind, "Unknown section kind " + kind, true);
            }
        }
        if (body == null) {
            throw new ProtocolException(ErrorCode.MissingBodySection, "OP_MSG messages must have a body", true);
        }
        return new OpMsg(header, flags, body, List.copyOf(sequences), compressor, frame);
    }

    private static OpQuery opQuery(ByteBuf frame, MsgHeader header, Compressor compressor) {
        int base = frame.readerIndex();
        int end = base + header.messageLength();
        if (end - base < MsgHeader.SIZE + 4 + 1 + 8 + 5) {
            throw new ProtocolException(ErrorCode.ProtocolError, "OP_QUERY too short", true);
        }
        int flags = frame.getIntLE(base + 16);
        int nameEnd = frame.indexOf(base + 20, end, (byte) 0);
        if (nameEnd < 0) {
            throw new ProtocolException(ErrorCode.ProtocolError, "OP_QUERY collection name is not terminated", true);
        }
        String ns = frame.toString(base + 20, nameEnd - base - 20, StandardCharsets.UTF_8);
        int pos = nameEnd + 1;
        if (end - pos < 8 + 5) {
            throw new ProtocolException(ErrorCode.ProtocolError, "OP_QUERY too short", true);
        }
        int skip = frame.getIntLE(pos);
        int toReturn = frame.getIntLE(pos + 4);
        pos += 8;
        int size = BsonValidator.validate(frame, pos, end, WireLimits.MAX_COMMAND_OBJECT_SIZE);
        ByteBuf query = frame.slice(pos, size);
        pos += size;
        if (pos < end) {
            BsonValidator.validate(frame, pos, end, WireLimits.MAX_BSON_OBJECT_SIZE);
        }
        return new OpQuery(header, flags, ns, skip, toReturn, query, compressor, frame);
    }
}
