#!/usr/bin/env python3
"""Python grpcio as a client of the platform's services (UserService, MusicService, PlaylistService) over TLS.

    services_client.py --port N --tls-ca FILE --track-id ID --query TEXT

Stubs are generated at run time with grpc_tools.protoc from proto/audotics/v1. Registers and signs in, reads the
profile, searches the catalog, builds a playlist, and checks that errors carry the right status and a
google.rpc.BadRequest in grpc-status-details-bin. Prints one line per check and 'N passed, M failed'; exits 1 on
any failure.
"""
import argparse
import os
import sys
import tempfile
import uuid

import grpc
from grpc_tools import protoc

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
results = []


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else ": " + str(detail)), flush=True)


def load_stubs(folder):
    include = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    protos = ["audotics/v1/common.proto", "audotics/v1/music.proto", "audotics/v1/user.proto", "audotics/v1/playlist.proto",
              "google/api/annotations.proto", "google/api/http.proto", "google/rpc/status.proto", "google/rpc/error_details.proto"]
    status = protoc.main(["protoc", "-I", os.path.join(REPO, "proto"), "-I", include,
                          "--python_out=" + folder, "--grpc_python_out=" + folder] + protos)
    if status != 0:
        raise RuntimeError("grpc_tools.protoc failed")
    sys.path.insert(0, folder)


def details(error):
    from google.rpc import status_pb2
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status()
            status.ParseFromString(value)
            return status
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tls-ca", required=True)
    parser.add_argument("--track-id", required=True)
    parser.add_argument("--query", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        load_stubs(folder)
        from audotics.v1 import music_pb2, music_pb2_grpc, playlist_pb2, playlist_pb2_grpc, user_pb2, user_pb2_grpc
        from google.rpc import error_details_pb2
        with open(args.tls_ca, "rb") as f:
            credentials = grpc.ssl_channel_credentials(root_certificates=f.read())
        channel = grpc.secure_channel(f"127.0.0.1:{args.port}", credentials,
                                      options=[("grpc.ssl_target_name_override", "localhost")])
        users = user_pb2_grpc.UserServiceStub(channel)
        music = music_pb2_grpc.MusicServiceStub(channel)
        playlists = playlist_pb2_grpc.PlaylistServiceStub(channel)

        email = f"py-{uuid.uuid4().hex[:8]}@example.org"
        registered = users.Register(user_pb2.RegisterRequest(email=email, password="correct horse battery"), timeout=10)
        check("register", registered.user.email == email and registered.tokens.token_type == "Bearer", registered)
        auth = [("authorization", "Bearer " + registered.tokens.access_token)]
        me = users.GetMe(user_pb2.GetMeRequest(), metadata=auth, timeout=10)
        check("get me", me.id == registered.user.id, me)
        try:
            users.Register(user_pb2.RegisterRequest(email="nope", password="x"), timeout=10)
            check("bad register fails", False, "no error")
        except grpc.RpcError as error:
            status = details(error)
            bad = error_details_pb2.BadRequest()
            ok = status is not None and status.details and status.details[0].Unpack(bad)
            check("bad register: INVALID_ARGUMENT with BadRequest",
                  error.code() == grpc.StatusCode.INVALID_ARGUMENT and ok and bad.field_violations[0].field == "email",
                  (error.code(), error.details()))
        try:
            music.GetTrack(music_pb2.GetTrackRequest(track_id=args.track_id), timeout=10)
            check("no token: UNAUTHENTICATED", False, "no error")
        except grpc.RpcError as error:
            check("no token: UNAUTHENTICATED", error.code() == grpc.StatusCode.UNAUTHENTICATED, error.code())

        track = music.GetTrack(music_pb2.GetTrackRequest(track_id=args.track_id), metadata=auth, timeout=10)
        check("get track", track.id == args.track_id and track.duration_ms > 0, track)
        found = music.SearchTracks(music_pb2.SearchTracksRequest(query=args.query, page_size=20), metadata=auth, timeout=10)
        check("search finds the track", any(t.id == args.track_id for t in found.tracks), [t.title for t in found.tracks])

        created = playlists.CreatePlaylist(playlist_pb2.CreatePlaylistRequest(name="From Python", track_ids=[args.track_id]),
                                           metadata=auth, timeout=10)
        added = playlists.AddTracks(playlist_pb2.AddTracksRequest(playlist_id=created.playlist.id, track_ids=[args.track_id],
                                                                  position=0, expected_snapshot_id=created.snapshot_id),
                                    metadata=auth, timeout=10)
        check("add tracks", added.item_count == 2 and added.position == 0, added)
        got = playlists.GetPlaylist(playlist_pb2.GetPlaylistRequest(playlist_id=created.playlist.id), metadata=auth, timeout=10)
        check("get playlist with track details",
              [i.track.id for i in got.items] == [args.track_id, args.track_id] and got.playlist.snapshot_id == added.snapshot_id, got)
        try:
            playlists.AddTracks(playlist_pb2.AddTracksRequest(playlist_id=created.playlist.id, track_ids=[args.track_id],
                                                              expected_snapshot_id=created.snapshot_id), metadata=auth, timeout=10)
            check("stale snapshot: ABORTED", False, "no error")
        except grpc.RpcError as error:
            status = details(error)
            info = error_details_pb2.ErrorInfo()
            ok = status is not None and status.details and status.details[0].Unpack(info)
            check("stale snapshot: ABORTED with ErrorInfo",
                  error.code() == grpc.StatusCode.ABORTED and ok and info.reason == "SNAPSHOT_MISMATCH", error.code())
        channel.close()
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
