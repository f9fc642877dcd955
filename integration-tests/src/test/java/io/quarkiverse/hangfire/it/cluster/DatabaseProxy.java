package io.quarkiverse.hangfire.it.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
    /** The armed lost-commit fault: the SQL that marks the transaction, the connection that sent it, the waiter. */
    private volatile String lostCommitMarker;
    private volatile Link lostCommitLink;
    private volatile CompletableFuture<Void> lostCommit;

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

    /**
     * Arms a one-shot fault: on the first connection that sends SQL containing {@code marker}, the next COMMIT
     * reaches the database, but the connection is reset before the answer reaches the client. The transaction
     * is committed and the client believes it failed, as when a network path drops at the wrong moment. The
     * future completes when the fault has happened.
     */
    CompletableFuture<Void> loseAnswerToCommitAfter(String marker) {
        lostCommit = new CompletableFuture<>();
        lostCommitLink = null;
        lostCommitMarker = marker;
        return lostCommit;
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
        /** The latest bytes the client sent, while a lost-commit fault is armed. */
        private String recent = "";
        private volatile boolean answersDropped;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            pump(client, server, "up", true);
            pump(server, client, "down", false);
        }

        private void pump(Socket from, Socket to, String direction, boolean up) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n; (n = in.read(buffer)) >= 0;) {
                        boolean loseAnswer = up && lostCommitMarker != null && isCommitToLose(buffer, n);
                        if (loseAnswer) {
                            answersDropped = true;
                        }
                        if (!up && answersDropped) {
                            continue;
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                        if (loseAnswer) {
                            // let the database commit, then drop the connection before its answer is relayed
                            Thread.sleep(200);
                            close();
                            lostCommitMarker = null;
                            lostCommit.complete(null);
                        }
                    }
                } catch (IOException e) {
                    // reset or cut
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                close();
            }, "db-proxy-" + direction + "-" + from.getPort());
            thread.setDaemon(true);
            thread.start();
        }

        /** Looks at what the client sends: the marker first, then a COMMIT query (COM_QUERY is byte 3). */
        private boolean isCommitToLose(byte[] buffer, int n) {
            recent = recent + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
            String marker = lostCommitMarker;
            if (lostCommitLink == null && marker != null && recent.contains(marker)) {
                synchronized (DatabaseProxy.this) {
                    if (lostCommitLink == null) {
                        lostCommitLink = this; // the first connection to send it
                    }
                }
                recent = recent.substring(recent.indexOf(marker) + marker.length());
            }
            boolean commit = lostCommitLink == this && recent.contains("\u0003COMMIT");
            if (recent.length() > 8192) {
                recent = recent.substring(recent.length() - 1024);
            }
            return commit;
        }

        void close() {
            reset(client);
            reset(server);
            forget(this);
        }
    }
}
