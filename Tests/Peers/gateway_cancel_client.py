#!/usr/bin/env python3
"""Cancellation and deadlines through the gateway, on raw HTTP/1.1 sockets. The gateway fronts a TestService whose
UnaryCall sleeps `responseSize` milliseconds when that is 1000 or more (the Swift test counts the calls the service
started and the ones cancelled):

- a client that disconnects while its call runs (the service's call must be cancelled: the Swift side checks);
- `X-Request-Timeout: 300ms` on a 10 s call: 504 with a DEADLINE_EXCEEDED status body, well before 10 s;
- `Grpc-Timeout: 300m` the same way;
- a fast call afterwards on the same connection: 200 with the payload.

    gateway_cancel_client.py --port N
"""
import argparse
import json
import socket
import time

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}", flush=True)
    else:
        failed += 1
        print(f"FAIL {name}: {detail}", flush=True)


def request(body, extra=""):
    data = json.dumps(body).encode()
    head = (
        "POST /grpc.testing.TestService/UnaryCall HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\n{extra}\r\n"
    )
    return head.encode() + data


def read_response(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before the response head: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed inside the body")
        body += chunk
    return status, headers, body[:length]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    address = ("127.0.0.1", args.port)

    # A client that goes away: the call is running in the service when the socket closes.
    gone = socket.create_connection(address, timeout=10)
    gone.sendall(request({"responseSize": 10000}))
    time.sleep(0.5)
    gone.close()
    print("disconnected", flush=True)

    connection = socket.create_connection(address, timeout=10)
    for header in ("X-Request-Timeout: 300ms\r\n", "Grpc-Timeout: 300m\r\n"):
        started = time.monotonic()
        connection.sendall(request({"responseSize": 10000}, header))
        status, headers, body = read_response(connection)
        elapsed = time.monotonic() - started
        name = header.split(":")[0]
        check(f"{name}: 504 at the deadline", status == 504 and elapsed < 3, (status, elapsed, body))
        try:
            code = json.loads(body).get("code")
        except ValueError:
            code = None
        check(f"{name}: the body is DEADLINE_EXCEEDED", code == 4, body)
        check(f"{name}: the response carries a request ID", len(headers.get("x-request-id", "")) == 32, headers)

    connection.sendall(request({"responseSize": 5}))
    status, _, body = read_response(connection)
    payload = json.loads(body).get("payload", {}) if status == 200 else {}
    check("a fast call afterwards on the same connection: 200 with its payload", status == 200 and payload.get("body") == "AAAAAAA=",
          (status, body))
    connection.close()
    print(f"{passed} passed, {failed} failed", flush=True)
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
