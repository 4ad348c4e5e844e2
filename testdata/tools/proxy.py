#!/usr/bin/env python3
"""The HTTP proxy in front of tests/interop's server, for https too.

    proxy.py PLAIN_PORT TLS_PORT CERT KEY

Listens on 127.0.0.1 (an ephemeral port, printed as the first line of
stdout) and, per connection:
- `CONNECT host:port`: answers 200, then ends TLS itself with CERT/KEY (a
  self-signed test certificate; the tools are told not to verify it) and
  passes the decrypted bytes to 127.0.0.1:TLS_PORT, where the test server
  records the requests as https;
- anything else (a plain proxy request): passes the bytes unchanged to
  127.0.0.1:PLAIN_PORT.
Only 127.0.0.1 is ever contacted. It exits when its stdin closes (the test
ends), so that no process outlives the test.
"""

import socket
import ssl
import sys
import threading


def pipe(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def read_head(client):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 65536:
            return None
    return data


def handle(client, plain_port, tls_port, context):
    try:
        head = read_head(client)
        if head is None:
            client.close()
            return
        if head.startswith(b"CONNECT "):
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            # Bytes after the CONNECT head belong to the TLS handshake.
            _, _, early = head.partition(b"\r\n\r\n")
            if early:
                client.close()
                return
            client = context.wrap_socket(client, server_side=True)
            upstream = socket.create_connection(("127.0.0.1", tls_port))
        else:
            upstream = socket.create_connection(("127.0.0.1", plain_port))
            upstream.sendall(head)
        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        pipe(client, upstream)
    except (OSError, ssl.SSLError):
        try:
            client.close()
        except OSError:
            pass


def main(plain_port, tls_port, cert, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    print(listener.getsockname()[1], flush=True)

    def accept():
        while True:
            client, _ = listener.accept()
            threading.Thread(
                target=handle,
                args=(client, plain_port, tls_port, context),
                daemon=True,
            ).start()

    threading.Thread(target=accept, daemon=True).start()
    sys.stdin.read()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4])
