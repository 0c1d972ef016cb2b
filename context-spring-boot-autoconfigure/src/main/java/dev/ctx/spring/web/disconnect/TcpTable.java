package dev.ctx.spring.web.disconnect;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Looks up the kernel's state of given TCP connections in Linux's
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6}. Reading these tables costs
 * milliseconds of kernel time (the kernel walks its whole established hash), so the
 * watcher only reads them to confirm a cheap trigger, never on every round.
 */
final class TcpTable {

	/** State code of an established connection. */
	static final int ESTABLISHED = 0x01;

	/** State code of a connection whose peer sent FIN while the local side is open. */
	static final int CLOSE_WAIT = 0x08;

	/** Returned by {@link #stateOf} when the connection has no row: it was reset. */
	static final int MISSING = -1;

	private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

	private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

	private static final byte[] V4_MAPPED_PREFIX = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff };

	// Only a hint, so a plain volatile without atomicity is enough
	private static volatile int preferredTable = 1;

	private TcpTable() {
	}

	/**
	 * Whether the tables can be read at all.
	 * @return whether this is a Linux {@code /proc} with TCP tables
	 */
	static boolean isReadable() {
		return Files.isReadable(TABLES.get(0));
	}

	/**
	 * Returns the row keys under which a connection may appear: an IPv4 connection is in
	 * {@code tcp}, or in {@code tcp6} as a v4-mapped address when the socket is dual-stack.
	 * @param local the socket's local address
	 * @param remote the socket's peer address
	 * @return one or two keys, formatted as the kernel prints them
	 */
	static String[] keys(InetSocketAddress local, InetSocketAddress remote) {
		InetAddress localAddress = local.getAddress();
		InetAddress remoteAddress = remote.getAddress();
		String v6 = key(mapped(localAddress.getAddress()), local.getPort(), mapped(remoteAddress.getAddress()),
				remote.getPort());
		if (localAddress instanceof Inet4Address && remoteAddress instanceof Inet4Address) {
			return new String[] { key(localAddress.getAddress(), local.getPort(), remoteAddress.getAddress(),
					remote.getPort()), v6 };
		}
		return new String[] { v6 };
	}

	/**
	 * Reads the tables and returns the state of the wanted rows. The table where rows
	 * were last found is read first, and the other one only if some connection is still
	 * missing, which halves the cost in the common case (a dual-stack server has all its
	 * connections in {@code tcp6}).
	 * @param wanted the keys to look for
	 * @param connections the number of connections the keys belong to
	 * @return the state code per key found; absent keys have no row
	 * @throws IOException if a table cannot be read
	 */
	static Map<String, Integer> read(Set<String> wanted, int connections) throws IOException {
		Map<String, Integer> states = new HashMap<>();
		int first = preferredTable;
		for (int i = 0; i < TABLES.size() && states.size() < connections; i++) {
			int index = (first + i) % TABLES.size();
			Path table = TABLES.get(index);
			if (!Files.exists(table)) {
				continue;
			}
			int found = states.size();
			String text = new String(Files.readAllBytes(table), StandardCharsets.ISO_8859_1);
			int lineStart = text.indexOf('\n') + 1;
			while (lineStart > 0 && lineStart < text.length()) {
				int lineEnd = text.indexOf('\n', lineStart);
				if (lineEnd < 0) {
					lineEnd = text.length();
				}
				parseLine(text, lineStart, lineEnd, wanted, states);
				lineStart = lineEnd + 1;
			}
			if (states.size() > found) {
				preferredTable = index;
			}
		}
		return states;
	}

	/**
	 * Returns the state of a connection given the result of {@link #read}.
	 * @param states the states read
	 * @param keys the connection's keys
	 * @return the state code, or {@link #MISSING}
	 */
	static int stateOf(Map<String, Integer> states, String[] keys) {
		for (String key : keys) {
			Integer state = states.get(key);
			if (state != null) {
				return state;
			}
		}
		return MISSING;
	}

	private static void parseLine(String text, int start, int end, Set<String> wanted, Map<String, Integer> states) {
		// "  sl  local_address rem_address   st ..." : skip "sl", then take three fields
		int pos = skipSpaces(text, start, end);
		pos = skipField(text, pos, end);
		int localStart = skipSpaces(text, pos, end);
		int localEnd = skipField(text, localStart, end);
		int remoteStart = skipSpaces(text, localEnd, end);
		int remoteEnd = skipField(text, remoteStart, end);
		int stateStart = skipSpaces(text, remoteEnd, end);
		int stateEnd = skipField(text, stateStart, end);
		if (stateEnd == stateStart) {
			return;
		}
		String key = text.substring(localStart, localEnd) + " " + text.substring(remoteStart, remoteEnd);
		if (wanted.contains(key)) {
			states.put(key, Integer.parseInt(text, stateStart, stateEnd, 16));
		}
	}

	private static int skipSpaces(String text, int pos, int end) {
		while (pos < end && text.charAt(pos) == ' ') {
			pos++;
		}
		return pos;
	}

	private static int skipField(String text, int pos, int end) {
		while (pos < end && text.charAt(pos) != ' ') {
			pos++;
		}
		return pos;
	}

	private static byte[] mapped(byte[] address) {
		if (address.length == 16) {
			return address;
		}
		byte[] mapped = new byte[16];
		System.arraycopy(V4_MAPPED_PREFIX, 0, mapped, 0, 12);
		System.arraycopy(address, 0, mapped, 12, 4);
		return mapped;
	}

	private static String key(byte[] local, int localPort, byte[] remote, int remotePort) {
		return hex(local) + ":" + port(localPort) + " " + hex(remote) + ":" + port(remotePort);
	}

	private static String port(int port) {
		return String.format(Locale.ROOT, "%04X", port);
	}

	// The kernel prints each 32-bit word of the (network order) address with %08X as a
	// native integer, so on little-endian machines the bytes of every word are reversed
	private static String hex(byte[] address) {
		StringBuilder builder = new StringBuilder(address.length * 2);
		for (int word = 0; word < address.length; word += 4) {
			for (int i = 0; i < 4; i++) {
				int b = address[word + (LITTLE_ENDIAN ? 3 - i : i)] & 0xff;
				builder.append(Character.toUpperCase(Character.forDigit(b >> 4, 16)));
				builder.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
			}
		}
		return builder.toString();
	}

}
