#!/usr/bin/env python3
# connect-proxy.py PORT-FILE LOG-FILE: a deliberately small HTTP CONNECT proxy for tests.
# Listens on 127.0.0.1 (a free port, written to PORT-FILE), logs one line per tunnel
# ("CONNECT host:port user=NAME") to LOG-FILE, and relays bytes both ways. The user name comes
# from a Basic Proxy-Authorization header, if any; the password is never logged.
import base64
import socket
import sys
import threading


def relay(source, target):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, target):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def handle(client, log_file):
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = client.recv(4096)
        if not chunk:
            client.close()
            return
        head += chunk
    lines = head.split(b"\r\n")
    method, target, _ = lines[0].decode().split(" ", 2)
    user = ""
    for line in lines[1:]:
        if line.lower().startswith(b"proxy-authorization: basic "):
            user = base64.b64decode(line.split(b" ", 2)[2]).decode().split(":", 1)[0]
    with open(log_file, "a") as log:
        log.write(f"{method} {target} user={user}\n")
    if method != "CONNECT":
        client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
        client.close()
        return
    host, port = target.rsplit(":", 1)
    try:
        upstream = socket.create_connection((host, int(port)))
    except OSError:
        client.sendall(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
        client.close()
        return
    client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    threading.Thread(target=relay, args=(client, upstream), daemon=True).start()
    relay(upstream, client)


def main():
    port_file, log_file = sys.argv[1], sys.argv[2]
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.getsockname()[1]))
    import os
    os.rename(port_file + ".tmp", port_file)
    while True:
        client, _ = server.accept()
        threading.Thread(target=handle, args=(client, log_file), daemon=True).start()


main()
