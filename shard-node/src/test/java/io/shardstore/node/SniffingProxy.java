package io.shardstore.node;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a node that records every frame passing in either direction, so a test can
 * see what a driver really sent (e.g. OP_COMPRESSED with which compressor). A frame is recorded before
 * it is forwarded, so anything the driver has received is already recorded.
 */
final class SniffingProxy implements AutoCloseable {

    record Frame(boolean fromClient, int opCode, Integer compressorId, byte[] bytes) {
    }

    private final int targetPort;
    private final ServerSocket server;
    private final Queue<Frame> frames = new ConcurrentLinkedQueue<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    SniffingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    List<Frame> frames() {
        return List.copyOf(frames);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread t = new Thread(() -> {
            try (DataInputStream in = new DataInputStream(from.getInputStream())) {
                OutputStream out = to.getOutputStream();
                while (true) {
                    byte[] header = new byte[WireBytes.HEADER];
                    in.readFully(header);
                    int length = WireBytes.le32(header, 0);
                    byte[] frame = java.util.Arrays.copyOf(header, Math.max(length, WireBytes.HEADER));
                    in.readFully(frame, WireBytes.HEADER, frame.length - WireBytes.HEADER);
                    int opCode = WireBytes.le32(frame, 12);
                    Integer compressorId = opCode == 2012 && frame.length > 24 ? frame[24] & 0xff : null;
                    frames.add(new Frame(fromClient, opCode, compressorId, frame));
                    out.write(frame);
                    out.flush();
                }
            } catch (EOFException e) {
                // peer closed
            } catch (IOException e) {
                // closed under us
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-" + (fromClient ? "up" : "down"));
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(SniffingProxy::closeQuietly);
    }
}
