#!/usr/bin/env python3
"""Python httpx as a client of the JSON edge (`audotics gateway`) over HTTP/1.1 and HTTP/2 (TLS, ALPN).

    gateway_client.py --url https://localhost:PORT --tls-ca FILE --track-id ID --query TEXT
                      [--limited-url https://localhost:PORT2] [--cors-origin ORIGIN]

Runs the whole suite once per protocol, each time as a new user: every route of UserService, MusicService and
PlaylistService from the gateway's /openapi.json, the generic `POST /<service>/<method>` routes, and bad input
(malformed JSON, wrong types, unknown fields, huge bodies, wrong content types, missing and invalid tokens,
path-escaping cases, routing errors), headers (request ID, security headers, CORS, HEAD) and, against
--limited-url (a gateway with a small burst), rate limiting. Every route the document lists for these services
must have been called, or the run fails. Prints one line per check and 'N passed, M failed'; exits 1 on any
failure.
"""
import argparse
import json
import socket
import ssl
import sys
import urllib.parse
import uuid

import httpx

results = []
called = set()  # (METHOD, template) pairs exercised
SERVICES = ("UserService", "MusicService", "PlaylistService")


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else ": " + str(detail)), flush=True)


def body(response):
    try:
        return response.json()
    except ValueError:
        return None


def describe(response):
    return f"{response.status_code} {response.text[:300]!r}"


def is_status_body(response, code):
    """A google.rpc.Status JSON body with `code` and a non-empty message."""
    payload = body(response)
    return (isinstance(payload, dict) and payload.get("code") == code and isinstance(payload.get("message"), str)
            and payload["message"] != "" and isinstance(payload.get("details", []), list)
            and response.headers.get("content-type") == "application/json")


class Edge:
    """One protocol's client, recording which route templates it called."""

    def __init__(self, url, ca, protocol):
        self.protocol = protocol
        self.client = httpx.Client(base_url=url, verify=ssl.create_default_context(cafile=ca),
                                   http1=(protocol == "HTTP/1.1"), http2=(protocol == "HTTP/2"), timeout=30)
        self.token = None

    def call(self, method, path, template=None, token=..., **kwargs):
        headers = dict(kwargs.pop("headers", {}) or {})
        token = self.token if token is ... else token
        if token:
            headers["authorization"] = "Bearer " + token
        response = self.client.request(method, path, headers=headers, **kwargs)
        if template:
            called.add((method, template))
        return response

    def close(self):
        self.client.close()


def suite(edge, args, cors_origin):
    p = edge.protocol + " "

    # --- Built-ins ------------------------------------------------------------------------------------------
    r = edge.call("GET", "/healthz")
    check(p + "GET /healthz is 200", r.status_code == 200, describe(r))
    check(p + "the connection speaks " + edge.protocol, r.http_version == edge.protocol, r.http_version)
    r = edge.call("GET", "/readyz")
    check(p + "GET /readyz is 200 with every backend serving", r.status_code == 200, describe(r))
    r = edge.call("GET", "/openapi.json")
    document = body(r) or {}
    check(p + "GET /openapi.json is an OpenAPI 3.1 document", r.status_code == 200 and str(document.get("openapi", "")).startswith("3.1"),
          describe(r))

    # The web app (web/): same origin, so a browser needs no CORS.
    r = edge.call("GET", "/", token=None)
    check(p + "GET / is the web app's page", r.status_code == 200 and r.headers.get("content-type", "").startswith("text/html")
          and 'src="/app.js"' in r.text and "default-src 'self'" in r.headers.get("content-security-policy", ""), describe(r))
    for path, kind in (("/app.js", "text/javascript"), ("/style.css", "text/css")):
        r = edge.call("GET", path, token=None)
        check(p + f"GET {path} is {kind} with an ETag", r.status_code == 200 and r.headers.get("content-type", "").startswith(kind)
              and r.headers.get("etag"), describe(r))
    etag = edge.call("GET", "/app.js", token=None).headers.get("etag", "")
    r = edge.call("GET", "/app.js", token=None, headers={"if-none-match": etag})
    check(p + "a revalidated static file is 304", r.status_code == 304 and etag, describe(r))

    # --- UserService ----------------------------------------------------------------------------------------
    email = f"edge-{uuid.uuid4().hex[:12]}@example.org"
    password = "correct horse battery staple"
    r = edge.call("POST", "/v1/users:register", "/v1/users:register", token=None,
                  json={"email": email, "password": password, "displayName": "Edge Tester"})
    registered = body(r) or {}
    check(p + "POST /v1/users:register is 201 with tokens", r.status_code == 201 and registered.get("tokens", {}).get("accessToken"),
          describe(r))
    edge.token = registered.get("tokens", {}).get("accessToken")
    user_id = registered.get("user", {}).get("id", "")
    check(p + "register returns the user with proto3 JSON names", registered.get("user", {}).get("email") == email
          and registered.get("user", {}).get("displayName") == "Edge Tester", registered)

    r = edge.call("POST", "/v1/users:register", token=None, json={"email": email, "password": password})
    check(p + "registering the same email again is 409 ALREADY_EXISTS", r.status_code == 409 and is_status_body(r, 6), describe(r))
    r = edge.call("POST", "/v1/users:register", token=None, json={"email": "not-an-email", "password": password})
    check(p + "an invalid email is 400 with a BadRequest detail", r.status_code == 400 and is_status_body(r, 3)
          and any("BadRequest" in d.get("@type", "") for d in body(r)["details"]), describe(r))

    r = edge.call("POST", "/v1/auth:login", "/v1/auth:login", token=None, json={"email": email, "password": password})
    login = body(r) or {}
    check(p + "POST /v1/auth:login is 200", r.status_code == 200 and login.get("tokens", {}).get("refreshToken"), describe(r))
    r = edge.call("POST", "/v1/auth:login", token=None, json={"email": email, "password": "wrong password!"})
    check(p + "a wrong password is 401 UNAUTHENTICATED with WWW-Authenticate", r.status_code == 401 and is_status_body(r, 16)
          and "www-authenticate" in r.headers, describe(r))

    refresh_token = login.get("tokens", {}).get("refreshToken", "")
    r = edge.call("POST", "/v1/auth:refresh", "/v1/auth:refresh", token=None, json={"refreshToken": refresh_token})
    refreshed = body(r) or {}
    check(p + "POST /v1/auth:refresh is 200 with new tokens", r.status_code == 200 and refreshed.get("tokens", {}).get("accessToken"),
          describe(r))
    check(p + "timestamps are RFC 3339", str(refreshed.get("tokens", {}).get("accessTokenExpiresAt", "")).endswith("Z"), refreshed)
    r = edge.call("POST", "/v1/auth:refresh", token=None, json={"refreshToken": refresh_token})
    check(p + "reusing a rotated refresh token is 401", r.status_code == 401 and is_status_body(r, 16), describe(r))

    r = edge.call("GET", "/v1/me", "/v1/me")
    check(p + "GET /v1/me is 200 with the caller", r.status_code == 200 and (body(r) or {}).get("email") == email, describe(r))
    r = edge.call("PATCH", "/v1/me", "/v1/me", json={"user": {"displayName": "Renamed Edge"}, "updateMask": "displayName"})
    check(p + "PATCH /v1/me with a field mask renames", r.status_code == 200 and (body(r) or {}).get("displayName") == "Renamed Edge",
          describe(r))
    r = edge.call("PATCH", "/v1/me", json={"user": {"displayName": "x" * 500}, "updateMask": "displayName"})
    check(p + "PATCH /v1/me with an overlong name is 400", r.status_code == 400 and is_status_body(r, 3), describe(r))

    for path in ("/v1/auth/jwks", "/.well-known/jwks.json"):
        r = edge.call("GET", path, path, token=None)
        keys = (body(r) or {}).get("keys", [])
        check(p + f"GET {path} lists Ed25519 keys", r.status_code == 200 and keys and all(k.get("kty") == "OKP" for k in keys),
              describe(r))

    # --- MusicService ---------------------------------------------------------------------------------------
    r = edge.call("GET", f"/v1/tracks/{args.track_id}", "/v1/tracks/{track_id}")
    track = body(r) or {}
    check(p + "GET /v1/tracks/{id} is 200", r.status_code == 200 and track.get("id") == args.track_id, describe(r))
    check(p + "tracks carry 64-bit-safe JSON (durationMs a number, genres a list)",
          isinstance(track.get("durationMs"), int) and isinstance(track.get("genres"), list), track)
    r = edge.call("HEAD", f"/v1/tracks/{args.track_id}")
    check(p + "HEAD /v1/tracks/{id} is 200 without a body", r.status_code == 200 and r.content == b"", describe(r))
    r = edge.call("GET", "/v1/tracks/tr_does_not_exist")
    check(p + "an unknown track is 404 NOT_FOUND", r.status_code == 404 and is_status_body(r, 5), describe(r))
    quoted = "".join("%%%02X" % ord(c) for c in args.track_id)
    r = edge.call("GET", "/v1/tracks/" + quoted)
    check(p + "a fully percent-encoded track ID decodes to the track", r.status_code == 200 and (body(r) or {}).get("id") == args.track_id,
          describe(r))
    r = edge.call("GET", "/v1/tracks/a%2Fb")
    check(p + "an encoded slash stays inside the segment (404 for the ID 'a/b', not a routing error)",
          r.status_code in (400, 404) and is_status_body(r, 5 if r.status_code == 404 else 3) and "a/b" in body(r)["message"],
          describe(r))
    r = edge.call("GET", "/v1/tracks/a/b")
    check(p + "an extra path segment is a routing 404", r.status_code == 404 and is_status_body(r, 5), describe(r))
    r = edge.call("GET", "/v1/tracks/%E2%82")
    check(p + "invalid UTF-8 in a path segment is 400", r.status_code == 400 and is_status_body(r, 3), describe(r))
    r = edge.call("GET", f"/v1/tracks/{args.track_id}?trackId=other")
    check(p + "a path-bound field in the query is 400", r.status_code == 400 and is_status_body(r, 3), describe(r))
    r = edge.call("GET", f"/v1/tracks/{args.track_id}?noSuchField=1")
    check(p + "an unknown query parameter is 400 naming it", r.status_code == 400 and "noSuchField" in r.text, describe(r))

    artist_id, album_id = track.get("artistId", "ar_missing"), track.get("albumId", "al_missing")
    r = edge.call("GET", f"/v1/artists/{artist_id}", "/v1/artists/{artist_id}")
    check(p + "GET /v1/artists/{id} is 200", r.status_code == 200 and (body(r) or {}).get("id") == artist_id, describe(r))
    r = edge.call("GET", f"/v1/albums/{album_id}", "/v1/albums/{album_id}")
    album = body(r) or {}
    check(p + "GET /v1/albums/{id} is 200 and lists the track", r.status_code == 200
          and args.track_id in [t.get("id") for t in album.get("tracks", [])], describe(r))

    r = edge.call("GET", "/v1/tracks:batchGet", "/v1/tracks:batchGet",
                  params=[("trackIds", args.track_id), ("track_ids", "tr_missing")])
    batch = body(r) or {}
    check(p + "GET /v1/tracks:batchGet with repeated query fields (both spellings)", r.status_code == 200
          and [t.get("id") for t in batch.get("tracks", [])] == [args.track_id] and batch.get("missingIds") == ["tr_missing"], describe(r))
    r = edge.call("GET", "/v1/tracks:batchGet", params=[("trackIds", "t")] * 600)
    check(p + "a batch above its limit is 400", r.status_code == 400 and is_status_body(r, 3), describe(r))

    r = edge.call("GET", "/v1/tracks:search", "/v1/tracks:search", params={"query": args.query, "pageSize": "2"})
    search = body(r) or {}
    check(p + "GET /v1/tracks:search finds the track", r.status_code == 200 and search.get("tracks"), describe(r))
    if search.get("nextPageToken"):
        r = edge.call("GET", "/v1/tracks:search", params={"query": args.query, "pageSize": "2", "pageToken": search["nextPageToken"]})
        check(p + "search pages with nextPageToken", r.status_code == 200, describe(r))
    r = edge.call("GET", "/v1/tracks:search", params={"query": args.query, "pageSize": "many"})
    check(p + "a non-integer pageSize is 400", r.status_code == 400 and is_status_body(r, 3) and "pageSize" in r.text, describe(r))
    r = edge.call("GET", "/v1/tracks:search", params={"query": args.query, "pageToken": "garbage!"})
    check(p + "a forged page token is 400", r.status_code == 400 and is_status_body(r, 3), describe(r))

    r = edge.call("GET", "/v1/me/history", "/v1/me/history", params={"pageSize": "10"})
    check(p + "GET /v1/me/history is 200", r.status_code == 200 and isinstance((body(r) or {}).get("entries", []), list), describe(r))

    # --- PlaylistService ------------------------------------------------------------------------------------
    r = edge.call("POST", "/v1/playlists", "/v1/playlists",
                  json={"name": "Edge mix", "description": "made over " + edge.protocol, "visibility": "PLAYLIST_VISIBILITY_PUBLIC",
                        "trackIds": [args.track_id]})
    created = body(r) or {}
    playlist = created.get("playlist", {})
    playlist_id, snapshot = playlist.get("id", "missing"), created.get("snapshotId", "")
    check(p + "POST /v1/playlists is 201", r.status_code == 201 and playlist.get("name") == "Edge mix" and snapshot, describe(r))
    check(p + "enums are names; the owner's display name is filled", playlist.get("visibility") == "PLAYLIST_VISIBILITY_PUBLIC"
          and playlist.get("ownerDisplayName") == "Edge Tester", playlist)  # the name in the access token

    r = edge.call("GET", f"/v1/playlists/{playlist_id}", "/v1/playlists/{playlist_id}")
    got = body(r) or {}
    check(p + "GET /v1/playlists/{id} returns its items", r.status_code == 200
          and [i.get("trackId") for i in got.get("items", [])] == [args.track_id], describe(r))
    r = edge.call("GET", "/v1/playlists", "/v1/playlists")
    check(p + "GET /v1/playlists lists it", r.status_code == 200 and playlist_id in [x.get("id") for x in (body(r) or {}).get("playlists", [])],
          describe(r))
    r = edge.call("GET", f"/v1/users/{user_id}/playlists", "/v1/users/{owner_id}/playlists")
    check(p + "GET /v1/users/{owner_id}/playlists (an additional binding) lists it", r.status_code == 200
          and playlist_id in [x.get("id") for x in (body(r) or {}).get("playlists", [])], describe(r))

    r = edge.call("PATCH", f"/v1/playlists/{playlist_id}", "/v1/playlists/{playlist_id}",
                  json={"playlist": {"name": "Edge mix 2"}, "updateMask": "name", "expectedSnapshotId": snapshot})
    updated = body(r) or {}
    check(p + "PATCH /v1/playlists/{id} renames with a new snapshot", r.status_code == 200
          and updated.get("playlist", {}).get("name") == "Edge mix 2" and updated.get("snapshotId") not in ("", snapshot), describe(r))
    r = edge.call("PATCH", f"/v1/playlists/{playlist_id}",
                  json={"playlist": {"name": "stale"}, "updateMask": "name", "expectedSnapshotId": snapshot})
    check(p + "a stale expectedSnapshotId is 409 ABORTED", r.status_code == 409 and is_status_body(r, 10), describe(r))
    snapshot = updated.get("snapshotId", "")

    second = (body(edge.call("GET", "/v1/tracks:search", params={"query": args.query, "pageSize": "3"})) or {}).get("tracks", [])
    other_id = next((t["id"] for t in second if t.get("id") != args.track_id), args.track_id)
    r = edge.call("POST", f"/v1/playlists/{playlist_id}/tracks", "/v1/playlists/{playlist_id}/tracks",
                  json={"trackIds": [other_id], "expectedSnapshotId": snapshot})
    added = body(r) or {}
    check(p + "POST /v1/playlists/{id}/tracks adds", r.status_code == 200 and added.get("itemCount") == 2, describe(r))
    snapshot = added.get("snapshotId", "")
    r = edge.call("POST", f"/v1/playlists/{playlist_id}/tracks", json={"trackIds": ["tr_missing"]})
    check(p + "adding an unknown track is 400 or 404 with a status body", (r.status_code, (body(r) or {}).get("code")) in ((400, 3), (404, 5))
          and is_status_body(r, (body(r) or {}).get("code")), describe(r))
    r = edge.call("POST", f"/v1/playlists/{playlist_id}/tracks:reorder", "/v1/playlists/{playlist_id}/tracks:reorder",
                  json={"rangeStart": 1, "rangeLength": 1, "insertBefore": 0, "expectedSnapshotId": snapshot})
    reordered = body(r) or {}
    check(p + "POST /v1/playlists/{id}/tracks:reorder moves", r.status_code == 200 and reordered.get("snapshotId"), describe(r))
    r = edge.call("GET", f"/v1/playlists/{playlist_id}")
    check(p + "the order changed", [i.get("trackId") for i in (body(r) or {}).get("items", [])] == [other_id, args.track_id], describe(r))
    r = edge.call("POST", f"/v1/playlists/{playlist_id}/tracks:remove", "/v1/playlists/{playlist_id}/tracks:remove",
                  json={"items": [{"position": 0, "trackId": other_id}], "expectedSnapshotId": reordered.get("snapshotId", "")})
    removed = body(r) or {}
    check(p + "POST /v1/playlists/{id}/tracks:remove removes", r.status_code == 200 and removed.get("itemCount") == 1, describe(r))

    r = edge.call("POST", f"/audotics.v1.PlaylistService/GetPlaylist", json={"playlistId": playlist_id})
    check(p + "the generic route POST /audotics.v1.PlaylistService/GetPlaylist", r.status_code == 200
          and (body(r) or {}).get("playlist", {}).get("id") == playlist_id, describe(r))
    r = edge.call("POST", "/audotics.v1.MusicService/GetTrack", json={"track_id": args.track_id})
    check(p + "proto field names are accepted on input", r.status_code == 200 and (body(r) or {}).get("id") == args.track_id, describe(r))

    r = edge.call("DELETE", f"/v1/playlists/{playlist_id}", "/v1/playlists/{playlist_id}")
    check(p + "DELETE /v1/playlists/{id} is 200", r.status_code == 200, describe(r))
    r = edge.call("GET", f"/v1/playlists/{playlist_id}")
    check(p + "a deleted playlist is 404", r.status_code == 404 and is_status_body(r, 5), describe(r))

    # --- Bad input ------------------------------------------------------------------------------------------
    json_headers = {"content-type": "application/json"}
    r = edge.call("POST", "/v1/playlists", content=b'{"name": "broken"', headers=json_headers)
    check(p + "malformed JSON is 400", r.status_code == 400 and is_status_body(r, 3), describe(r))
    r = edge.call("POST", "/v1/playlists", json={"name": 5})
    check(p + "a wrong type is 400 naming the field", r.status_code == 400 and is_status_body(r, 3) and "name" in body(r)["message"],
          describe(r))
    r = edge.call("POST", "/v1/playlists", json={"name": "x", "colour": "red"})
    check(p + "an unknown field is 400 naming it", r.status_code == 400 and is_status_body(r, 3) and "colour" in body(r)["message"],
          describe(r))
    r = edge.call("POST", "/v1/playlists", json={"name": "x", "visibility": "PLAYLIST_VISIBILITY_SECRET"})
    check(p + "an unknown enum name is 400", r.status_code == 400 and is_status_body(r, 3), describe(r))
    r = edge.call("POST", "/v1/playlists", json=["not", "an", "object"])
    check(p + "a JSON array where an object belongs is 400", r.status_code == 400 and is_status_body(r, 3), describe(r))
    r = edge.call("POST", "/v1/playlists", content=b"name=x", headers={"content-type": "application/x-www-form-urlencoded"})
    check(p + "a non-JSON content type is 415", r.status_code == 415 and is_status_body(r, 3), describe(r))
    if edge.protocol == "HTTP/2":
        huge = b'{"name": "' + b"x" * (2 << 20) + b'"}'
        r = edge.call("POST", "/v1/playlists", content=huge, headers=dict(json_headers, origin=cors_origin or "https://x.example"))
        check(p + "a 2 MiB body is 413", r.status_code == 413, describe(r))
        check(p + "the server's own 413 carries the gateway's headers (request ID, security, CORS)",
              len(r.headers.get("x-request-id", "")) == 32 and r.headers.get("x-content-type-options") == "nosniff"
              and (not cors_origin or r.headers.get("access-control-allow-origin") == cors_origin), r.headers)
    # (HTTP/1.1: the server answers 413 from the declared length and closes; see oversized_http1 below.)
    r = edge.call("POST", "/v1/playlists", json={"name": "n" * 300})
    check(p + "a name above its limit is 400", r.status_code == 400 and is_status_body(r, 3), describe(r))
    r = edge.call("POST", "/v1/users:register?email=a@b.c", token=None, json={"password": password})
    check(p + "query parameters on a body:\"*\" route are 400", r.status_code == 400 and is_status_body(r, 3), describe(r))

    r = edge.call("GET", "/v1/me", token=None)
    check(p + "a missing token is 401 with WWW-Authenticate", r.status_code == 401 and is_status_body(r, 16)
          and r.headers.get("www-authenticate", "").lower().startswith("bearer"), describe(r))
    r = edge.call("GET", "/v1/me", token="not.a.jwt")
    check(p + "an invalid token is 401 with the service's RFC 6750 challenge", r.status_code == 401 and is_status_body(r, 16)
          and 'error="invalid_token"' in r.headers.get("www-authenticate", ""), describe(r))
    r = edge.call("GET", "/v1/me", token=None, headers={"authorization": "Basic dXNlcjpwYXNz"})
    check(p + "a non-bearer authorization is 401", r.status_code == 401 and is_status_body(r, 16), describe(r))

    r = edge.call("GET", "/v1/nothing/here")
    check(p + "an unknown path is 404 with a JSON body", r.status_code == 404 and is_status_body(r, 5), describe(r))
    r = edge.call("PUT", f"/v1/tracks/{args.track_id}", json={})
    allow = r.headers.get("allow", "")
    check(p + "a wrong method is 405 with Allow", r.status_code == 405 and "GET" in allow and is_status_body(r, 12), describe(r))
    r = edge.call("GET", "/audotics.v1.MusicService/GetTrack")
    check(p + "a generic route takes POST only (405)", r.status_code == 405, describe(r))
    r = edge.call("POST", "/audotics.v1.MusicService/NoSuchMethod", json={})
    check(p + "an unknown method is 404", r.status_code == 404 and is_status_body(r, 5), describe(r))

    # --- Headers --------------------------------------------------------------------------------------------
    request_id = "test-" + uuid.uuid4().hex
    r = edge.call("GET", f"/v1/tracks/{args.track_id}", headers={"x-request-id": request_id})
    check(p + "X-Request-ID is taken and returned", r.headers.get("x-request-id") == request_id, r.headers)
    r = edge.call("GET", f"/v1/tracks/{args.track_id}", headers={"x-request-id": "x" * 300})
    check(p + "an overlong X-Request-ID is replaced by a generated one", len(r.headers.get("x-request-id", "")) == 32, r.headers)
    check(p + "security headers are set", r.headers.get("x-content-type-options") == "nosniff"
          and r.headers.get("strict-transport-security", "").startswith("max-age=") and "cache-control" in r.headers, r.headers)
    r = edge.call("GET", f"/v1/tracks/{args.track_id}", headers={"x-request-timeout": "soon"})
    check(p + "an unreadable X-Request-Timeout is 400", r.status_code == 400 and is_status_body(r, 3), describe(r))
    r = edge.call("GET", f"/v1/tracks/{args.track_id}", headers={"grpc-timeout": "5S"})
    check(p + "a Grpc-Timeout is honoured", r.status_code == 200, describe(r))
    r = edge.call("GET", f"/v1/tracks/{args.track_id}",
                  headers={"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
    check(p + "a W3C traceparent is accepted", r.status_code == 200, describe(r))

    if cors_origin:
        r = edge.call("OPTIONS", f"/v1/tracks/{args.track_id}", token=None,
                      headers={"origin": cors_origin, "access-control-request-method": "GET",
                               "access-control-request-headers": "authorization"})
        check(p + "a CORS preflight from an allowed origin is 204 with the grant", r.status_code == 204
              and r.headers.get("access-control-allow-origin") == cors_origin
              and "authorization" in r.headers.get("access-control-allow-headers", ""), describe(r))
        r = edge.call("GET", f"/v1/tracks/{args.track_id}", headers={"origin": cors_origin})
        check(p + "an allowed origin's request carries Access-Control-Allow-Origin",
              r.headers.get("access-control-allow-origin") == cors_origin, r.headers)
        r = edge.call("OPTIONS", f"/v1/tracks/{args.track_id}", token=None,
                      headers={"origin": "https://evil.example", "access-control-request-method": "GET"})
        check(p + "another origin gets no grant", "access-control-allow-origin" not in r.headers, r.headers)
        r = edge.call("OPTIONS", f"/v1/tracks/{args.track_id}", token=None,
                      headers={"origin": cors_origin, "access-control-request-method": "DELETE"})
        check(p + "a preflight for a method the path does not take is 405 with Allow", r.status_code == 405
              and r.headers.get("allow") == "GET, HEAD, OPTIONS", describe(r))
        r = edge.call("OPTIONS", "/openapi.json", token=None, headers={"origin": cors_origin, "access-control-request-method": "GET"})
        check(p + "a preflight for /openapi.json is granted", r.status_code == 204, describe(r))
    r = edge.call("OPTIONS", "/v1/playlists", token=None)
    check(p + "a plain OPTIONS is 204 with Allow", r.status_code == 204 and r.headers.get("allow") == "GET, HEAD, POST, OPTIONS", describe(r))

    r = edge.call("POST", "/v1/auth:logout", "/v1/auth:logout", token=None,
                  json={"refreshToken": refreshed.get("tokens", {}).get("refreshToken", "")})
    check(p + "POST /v1/auth:logout is 200", r.status_code == 200, describe(r))
    r = edge.call("POST", "/v1/auth:refresh", token=None, json={"refreshToken": refreshed.get("tokens", {}).get("refreshToken", "")})
    check(p + "a logged-out refresh token is 401", r.status_code == 401, describe(r))
    return document


def pipelining(url, ca, track_id):
    """HTTP/1.1 pipelining over TLS: three requests written at once come back complete and in order."""
    parsed = urllib.parse.urlparse(url)
    context = ssl.create_default_context(cafile=ca)
    context.set_alpn_protocols(["http/1.1"])
    with socket.create_connection((parsed.hostname, parsed.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=parsed.hostname) as tls:
            # The first in absolute form (RFC 9112 §3.2.2), which a server must accept.
            paths = [f"https://{parsed.hostname}:{parsed.port}/healthz", f"/v1/tracks/{track_id}", "/v1/nothing"]
            tls.sendall(b"".join(f"GET {path} HTTP/1.1\r\nHost: {parsed.hostname}\r\nX-Request-ID: pipe-{i}\r\n\r\n".encode()
                                 for i, path in enumerate(paths)))
            data = b""
            responses = []
            while len(responses) < len(paths):
                chunk = tls.recv(65536)
                if not chunk:
                    break
                data += chunk
                while b"\r\n\r\n" in data:  # complete responses off the front, by Content-Length
                    head, rest = data.split(b"\r\n\r\n", 1)
                    lines = head.split(b"\r\n")
                    fields = {k.strip().lower(): v.strip() for k, v in (line.split(b":", 1) for line in lines[1:])}
                    length = int(fields.get(b"content-length", b"0"))
                    if len(rest) < length:
                        break
                    responses.append((lines[0].decode(), fields.get(b"x-request-id", b"").decode()))
                    data = rest[length:]
    statuses = [status.split(" ")[1] for status, _ in responses]
    ids = [request_id for _, request_id in responses]
    check("HTTP/1.1 pipelined responses come back in order (an absolute-form target first)", statuses == ["200", "401", "404"]
          and ids == ["pipe-0", "pipe-1", "pipe-2"], (statuses, ids))


def oversized_http1(url, ca, cors_origin):
    """HTTP/1.1 over TLS: a 2 MiB declared body is refused from its Content-Length, before it is sent: 413 with
    the gateway's headers, then the connection closes."""
    parsed = urllib.parse.urlparse(url)
    context = ssl.create_default_context(cafile=ca)
    context.set_alpn_protocols(["http/1.1"])
    with socket.create_connection((parsed.hostname, parsed.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=parsed.hostname) as tls:
            tls.sendall((f"POST /v1/playlists HTTP/1.1\r\nHost: {parsed.hostname}\r\nContent-Type: application/json\r\n"
                         f"Origin: {cors_origin or 'https://x.example'}\r\nContent-Length: {2 << 20}\r\n\r\n").encode())
            data = b""
            while True:
                chunk = tls.recv(65536)
                if not chunk:
                    break
                data += chunk
    head, _, payload = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    fields = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
    check("HTTP/1.1 a declared 2 MiB body is 413 before it is sent, then close", lines[0].startswith("HTTP/1.1 413")
          and b'"code"' in payload, lines[:1])
    check("HTTP/1.1 the server's own 413 carries the gateway's headers", len(fields.get("x-request-id", "")) == 32
          and fields.get("x-content-type-options") == "nosniff"
          and (not cors_origin or fields.get("access-control-allow-origin") == cors_origin), fields)


def rate_limits(url, ca, track_id):
    """Against a gateway with a small per-address burst: 429 with Retry-After, RateLimit-* and a JSON status."""
    with httpx.Client(base_url=url, verify=ssl.create_default_context(cafile=ca), http2=True, timeout=30) as client:
        responses = [client.get(f"/v1/tracks/{track_id}") for _ in range(12)]
    codes = [r.status_code for r in responses]
    limited = [r for r in responses if r.status_code == 429]
    check("the burst is served, then 429", codes[0] != 429 and limited, codes)
    if limited:
        r = limited[0]
        check("a 429 has Retry-After and RateLimit-* headers", int(r.headers.get("retry-after", "0")) >= 1
              and r.headers.get("ratelimit-remaining") == "0" and "ratelimit-limit" in r.headers and "ratelimit-reset" in r.headers,
              r.headers)
        check("a 429 body is RESOURCE_EXHAUSTED", is_status_body(r, 8), describe(r))
    allowed = [r for r in responses if r.status_code != 429]
    check("served responses carry RateLimit-Remaining", all("ratelimit-remaining" in r.headers for r in allowed), codes)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--limited-url")
    parser.add_argument("--tls-ca", required=True)
    parser.add_argument("--track-id", required=True)
    parser.add_argument("--query", required=True)
    parser.add_argument("--cors-origin")
    args = parser.parse_args()

    document = {}
    for protocol in ("HTTP/1.1", "HTTP/2"):
        edge = Edge(args.url, args.tls_ca, protocol)
        try:
            document = suite(edge, args, args.cors_origin) or document
        finally:
            edge.close()
    pipelining(args.url, args.tls_ca, args.track_id)
    oversized_http1(args.url, args.tls_ca, args.cors_origin)
    if args.limited_url:
        rate_limits(args.limited_url, args.tls_ca, args.track_id)

    # Every route the gateway's document lists for the services must have been called above.
    listed = set()
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("operationId", "").split("_")[0] in SERVICES:
                listed.add((method.upper(), path))
    missing = sorted(listed - called)
    check(f"every one of the {len(listed)} documented routes was called", listed and not missing, missing)

    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
