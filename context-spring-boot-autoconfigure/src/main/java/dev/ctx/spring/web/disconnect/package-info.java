/**
 * Detection of HTTP clients that went away while a synchronous servlet handler is still
 * running. Neither Tomcat nor Jetty reads an HTTP/1.1 socket while such a handler runs,
 * so their own mechanisms ({@code AsyncListener.onError}, Jetty failure listeners) never
 * fire; instead a watcher thread inspects the TCP state of each long-running request's
 * connection without reading a byte. See
 * {@link dev.ctx.spring.web.disconnect.DisconnectDetector} and
 * {@link dev.ctx.spring.web.disconnect.DisconnectDetectors}.
 * <p>
 * Covered: embedded Tomcat 11 (NIO connector) and Jetty 12 (EE 11), HTTP/1.1 (FIN, RST,
 * half-close, also with pipelined requests or unread body bytes) and h2c (stream reset,
 * connection close), on Linux with any JDK from 17 and no JVM flags.
 * <p>
 * Not covered: other operating systems (no {@code /proc/net/tcp}), Undertow and other
 * containers, Tomcat's NIO2 connector, Unix domain sockets, HTTP/3; TLS connections are
 * expected to work (the raw socket is probed) but are untested. A client that vanishes
 * without closing (network failure) is only noticed by TCP keep-alive or a deadline. A
 * FIN queued behind unread request body bytes only becomes visible once the application
 * has read those bytes (ordinary in-order TCP delivery). Behind a reverse proxy only the
 * proxy's connection is seen.
 */
@NullMarked
package dev.ctx.spring.web.disconnect;

import org.jspecify.annotations.NullMarked;
