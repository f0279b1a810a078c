#!/usr/bin/env python3
"""Python h2 (hyper-h2) against AudoticsHTTPServer over h2c with prior knowledge, frame by frame.

    http2_server_client.py --port N --max-body 1000 --body-timeout 1 --idle-timeout 2 --max-requests 6

The server runs the test EchoHandler with those limits. Checks concurrent streams, the body limit (declared and
streamed; the connection stays usable), the body read timeout (a stalled upload gets 408), the request limit
(GOAWAY after the last stream), the idle timeout (GOAWAY, then close) and the server's SETTINGS. Prints one line
per check and 'N passed, M failed'; exits 1 on any failure.
"""
import argparse
import socket
import sys
import time

import h2.config
import h2.connection
import h2.events
import h2.settings

results = []


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else ": " + str(detail)), flush=True)


class RawReader:
    """Reads the server's frames without h2's state machine, which refuses every frame after a first GOAWAY,
    though RFC 9113 §6.8 lets streams up to the GOAWAY's last stream finish. Answers SETTINGS and PING."""

    def __init__(self, client):
        import hpack
        self.client = client
        self.decoder = hpack.Decoder()
        self.buffer = b""
        self.goaways = []  # (last stream, error code)

    def feed(self, data):
        self.buffer += data
        while len(self.buffer) >= 9:
            length = int.from_bytes(self.buffer[0:3], "big")
            if len(self.buffer) < 9 + length:
                return
            kind, flags = self.buffer[3], self.buffer[4]
            stream = int.from_bytes(self.buffer[5:9], "big") & 0x7FFFFFFF
            payload, self.buffer = self.buffer[9:9 + length], self.buffer[9 + length:]
            response = self.client.responses.get(stream)
            if kind == 0x1:  # HEADERS (no padding or priority from this server)
                headers = dict(self.decoder.decode(payload))
                if response is not None:
                    response["headers"] = response["headers"] or headers
                    response["ended"] = response["ended"] or bool(flags & 0x1)
            elif kind == 0x0 and response is not None:  # DATA
                response["body"] += payload
                response["ended"] = response["ended"] or bool(flags & 0x1)
            elif kind == 0x3 and response is not None:  # RST_STREAM
                response["reset"] = int.from_bytes(payload[0:4], "big")
            elif kind == 0x4 and not flags & 0x1:  # SETTINGS: acknowledge
                self.client.sock.sendall(b"\x00\x00\x00\x04\x01\x00\x00\x00\x00")
            elif kind == 0x6 and not flags & 0x1:  # PING: acknowledge
                self.client.sock.sendall(b"\x00\x00\x08\x06\x01\x00\x00\x00\x00" + payload)
            elif kind == 0x7:  # GOAWAY
                self.goaways.append((int.from_bytes(payload[0:4], "big") & 0x7FFFFFFF, int.from_bytes(payload[4:8], "big")))


class Client:
    def __init__(self, port, raw=False):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        self.conn.initiate_connection()
        self.sock.sendall(self.conn.data_to_send())
        self.responses = {}  # stream → {"headers": {...}, "body": bytes, "ended": bool, "reset": code}
        self.goaway = None
        self.closed = False
        self.remote_settings = {}
        self.raw = RawReader(self) if raw else None

    def request(self, path, body=None, end=True, extra=()):
        stream = self.conn.get_next_available_stream_id()
        headers = [(":method", "POST" if body is not None else "GET"), (":path", path), (":scheme", "http"),
                   (":authority", "localhost")] + list(extra)
        self.conn.send_headers(stream, headers, end_stream=end and body is None)
        if body is not None:
            self.conn.send_data(stream, body, end_stream=end)
        self.sock.sendall(self.conn.data_to_send())
        self.responses[stream] = {"headers": {}, "body": b"", "ended": False, "reset": None}
        return stream

    def pump(self, until, timeout=10):
        """Reads events until `until()` holds or the time is up; True if it held."""
        deadline = time.monotonic() + timeout
        while not until():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.closed:
                return until()
            self.sock.settimeout(remaining)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                return until()
            except ConnectionResetError:
                data = b""
            if not data:
                self.closed = True
                continue
            if self.raw:
                self.raw.feed(data)
                continue
            for event in self.conn.receive_data(data):
                self.handle(event)
            outgoing = self.conn.data_to_send()
            if outgoing:
                try:
                    self.sock.sendall(outgoing)
                except OSError:
                    self.closed = True
        return True

    def handle(self, event):
        if isinstance(event, h2.events.ResponseReceived):
            self.responses[event.stream_id]["headers"] = dict(event.headers)
        elif isinstance(event, h2.events.DataReceived):
            self.responses[event.stream_id]["body"] += event.data
            self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        elif isinstance(event, h2.events.StreamEnded):
            self.responses[event.stream_id]["ended"] = True
        elif isinstance(event, h2.events.StreamReset):
            if event.stream_id in self.responses:
                self.responses[event.stream_id]["reset"] = event.error_code
        elif isinstance(event, h2.events.ConnectionTerminated):
            self.goaway = event
        elif isinstance(event, h2.events.RemoteSettingsChanged):
            for key, value in event.changed_settings.items():
                self.remote_settings[key] = value.new_value

    def done(self, stream):
        return lambda: self.responses[stream]["ended"] or self.responses[stream]["reset"] is not None

    def status(self, stream):
        return self.responses[stream]["headers"].get(":status")

    def close(self):
        self.sock.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--max-body", type=int, required=True)
    parser.add_argument("--body-timeout", type=float, required=True)
    parser.add_argument("--idle-timeout", type=float, required=True)
    parser.add_argument("--max-requests", type=int, required=True)
    args = parser.parse_args()

    # Settings, concurrent streams, the body limit.
    c = Client(args.port)
    a = c.request("/echo", body=b"a" * 10)
    b = c.request("/slow?ms=200", body=b"b" * 20)
    c.pump(lambda: c.done(a)() and c.done(b)())
    check("the server's SETTINGS name its concurrent stream limit",
          c.remote_settings.get(h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS, 0) > 0, c.remote_settings)
    check("two concurrent streams are both answered", c.status(a) == "200" and c.status(b) == "200"
          and c.responses[a]["body"] == b"a" * 10 and c.responses[b]["body"] == b"b" * 20, c.responses)
    declared = c.request("/echo", body=b"x" * (args.max_body + 1), extra=[("content-length", str(args.max_body + 1))])
    c.pump(c.done(declared))
    check("a declared body above the limit is 413 with a JSON status", c.status(declared) == "413"
          and b'"code"' in c.responses[declared]["body"], c.responses[declared])
    streamed = c.request("/echo", body=b"y" * (args.max_body // 2), end=False)
    c.conn.send_data(streamed, b"y" * args.max_body, end_stream=False)
    c.sock.sendall(c.conn.data_to_send())
    c.pump(c.done(streamed))
    check("a streamed body crossing the limit is 413", c.status(streamed) == "413", c.responses[streamed])
    after = c.request("/echo", body=b"still here")
    c.pump(c.done(after))
    check("the connection stays usable after a 413", c.status(after) == "200" and c.responses[after]["body"] == b"still here",
          c.responses[after])
    c.close()

    # A stalled upload: headers, part of a body, then nothing.
    c = Client(args.port)
    started = time.monotonic()
    stalled = c.request("/echo", body=b"partial", end=False)
    c.pump(c.done(stalled), timeout=args.body_timeout + 5)
    waited = time.monotonic() - started
    check("a stalled body gets 408 after the body timeout", c.status(stalled) == "408"
          and args.body_timeout * 0.8 <= waited <= args.body_timeout + 3, (c.responses[stalled], waited))
    ok = c.request("/echo", body=b"next")
    c.pump(c.done(ok))
    check("the connection stays usable after a 408", c.status(ok) == "200", c.responses[ok])
    c.close()

    # The request limit: the last permitted stream is answered, then GOAWAY and close.
    c = Client(args.port, raw=True)
    statuses = []
    for i in range(args.max_requests):
        s = c.request(f"/echo?n={i}")
        c.pump(c.done(s))
        statuses.append(c.status(s))
    c.pump(lambda: c.closed, timeout=5)
    goaways = c.raw.goaways
    check(f"all {args.max_requests} permitted streams are answered", statuses == ["200"] * args.max_requests, statuses)
    check("then GOAWAY (NO_ERROR), the last one naming the last stream, and the connection closes", goaways
          and all(code == 0 for _, code in goaways) and goaways[-1][0] == 2 * args.max_requests - 1 and c.closed,
          (goaways, c.closed))
    c.close()

    # The idle timeout: a connection without streams gets GOAWAY and is closed.
    c = Client(args.port)
    started = time.monotonic()
    c.pump(lambda: c.closed, timeout=args.idle_timeout + 5)
    waited = time.monotonic() - started
    check("an idle connection gets GOAWAY and is closed after the idle timeout", c.goaway is not None and c.closed
          and args.idle_timeout * 0.8 <= waited <= args.idle_timeout + 3, (c.goaway, waited))
    c.close()

    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
