package dev.ctx.spring.web.disconnect;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TcpTable} against real loopback connections.
 */
class TcpTableTests {

	@Test
	void stateShouldFollowClientCloseOnIpv4() throws Exception {
		assertStatesFollowClient(InetAddress.getByName("127.0.0.1"));
	}

	@Test
	void stateShouldFollowClientCloseOnIpv6() throws Exception {
		assertStatesFollowClient(InetAddress.getByName("::1"));
	}

	private void assertStatesFollowClient(InetAddress address) throws Exception {
		for (boolean reset : new boolean[] { false, true }) {
			try (ServerSocketChannel server = ServerSocketChannel.open()) {
				server.bind(new InetSocketAddress(address, 0));
				SocketChannel client = SocketChannel.open(server.getLocalAddress());
				try (SocketChannel accepted = server.accept()) {
					String[] keys = TcpTable.keys((InetSocketAddress) accepted.getLocalAddress(),
							(InetSocketAddress) accepted.getRemoteAddress());
					assertThat(state(keys)).isEqualTo(TcpTable.ESTABLISHED);
					if (reset) {
						client.setOption(StandardSocketOptions.SO_LINGER, 0);
					}
					client.close();
					int expected = reset ? TcpTable.MISSING : TcpTable.CLOSE_WAIT;
					await().atMost(Duration.ofSeconds(2)).until(() -> state(keys) == expected);
				}
			}
		}
	}

	private static int state(String[] keys) throws Exception {
		return TcpTable.stateOf(TcpTable.read(Set.of(keys), 1), keys);
	}

}
