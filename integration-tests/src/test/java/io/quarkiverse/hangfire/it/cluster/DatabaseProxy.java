package io.quarkiverse.hangfire.it.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between application processes and their database, in the test JVM. {@link #cut()} simulates a
 * database outage: it resets every open connection and resets new ones at once, until {@link #restore()}.
 * Plain sockets and a pair of threads per connection: the traffic of a few test processes.
 */
final class DatabaseProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Link> open = new HashSet<>();
    private final AtomicInteger refused = new AtomicInteger();
    private boolean cut;
    private volatile boolean closed;

    /** Listens on a free port of 127.0.0.1 and forwards to {@code target} ("host:port"). */
    DatabaseProxy(String target) {
        int colon = target.lastIndexOf(':');
        this.targetHost = target.substring(0, colon);
        this.targetPort = Integer.parseInt(target.substring(colon + 1));
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "db-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** "127.0.0.1:port", to put in a JDBC URL in place of the database's host and port. */
    String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Resets all open connections and every new one until {@link #restore()}. Returns how many were open. */
    int cut() {
        List<Link> links;
        synchronized (this) {
            cut = true;
            links = List.copyOf(open);
        }
        links.forEach(Link::close);
        return links.size();
    }

    synchronized void restore() {
        cut = false;
    }

    /** Connections refused while cut. */
    int refused() {
        return refused.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cut();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Link link = null;
            try {
                if (!isCut()) {
                    link = new Link(client, new Socket(targetHost, targetPort));
                }
            } catch (IOException e) {
                // the database itself is down: the client sees a reset, as below
            }
            synchronized (this) {
                if (link != null && !cut) {
                    open.add(link);
                    link.start();
                    continue;
                }
            }
            refused.incrementAndGet();
            if (link != null) {
                link.close();
            } else {
                reset(client);
            }
        }
    }

    private synchronized boolean isCut() {
        return cut;
    }

    private synchronized void forget(Link link) {
        open.remove(link);
    }

    /** Closes with an RST rather than a FIN, as a dropped network path or a killed server looks to the client. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // closed already
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    /** One client connection and its connection to the database, with a thread copying each way. */
    private final class Link {
        private final Socket client;
        private final Socket server;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            pump(client, server, "up");
            pump(server, client, "down");
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n; (n = in.read(buffer)) >= 0;) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // reset or cut
                }
                close();
            }, "db-proxy-" + direction + "-" + from.getPort());
            thread.setDaemon(true);
            thread.start();
        }

        void close() {
            reset(client);
            reset(server);
            forget(this);
        }
    }
}
