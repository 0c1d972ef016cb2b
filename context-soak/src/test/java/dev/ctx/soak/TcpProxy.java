package dev.ctx.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder in front of a database server, to take the database "down" (stop
 * listening, reset every open connection) and bring it back on the same port, without
 * restarting the database itself.
 */
final class TcpProxy implements AutoCloseable {

	private final int targetPort;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile ServerSocket listener;

	private int port;

	TcpProxy(int targetPort) {
		this.targetPort = targetPort;
	}

	synchronized TcpProxy up() throws IOException {
		ServerSocket listener = new ServerSocket();
		listener.setReuseAddress(true);
		listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
		this.port = listener.getLocalPort();
		this.listener = listener;
		Thread acceptor = new Thread(() -> accept(listener), "soak-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
		return this;
	}

	int port() {
		return this.port;
	}

	/**
	 * Stops listening and resets every forwarded connection: to its clients the database
	 * is gone.
	 */
	synchronized void down() throws IOException {
		this.listener.close();
		for (Socket socket : this.sockets) {
			try {
				socket.setSoLinger(true, 0);
				socket.close();
			}
			catch (IOException ex) {
				// Closed by its pump meanwhile
			}
		}
		this.sockets.clear();
	}

	private void accept(ServerSocket listener) {
		while (!listener.isClosed()) {
			try {
				Socket client = listener.accept();
				Socket server = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
				this.sockets.add(client);
				this.sockets.add(server);
				pump(client, server);
				pump(server, client);
			}
			catch (IOException ex) {
				// Listener closed: the database is down
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[8192];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int n;
				while ((n = in.read(buffer)) >= 0) {
					out.write(buffer, 0, n);
					out.flush();
				}
			}
			catch (IOException ex) {
				// One side went away; closing both ends below
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "soak-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private void closeQuietly(Socket socket) {
		this.sockets.remove(socket);
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Already closed
		}
	}

	@Override
	public void close() throws IOException {
		down();
	}

}
