-- Playlists and their items, owned by PlaylistService.
--
-- Every change to a playlist (details or items) takes the playlist row's lock (SELECT … FOR UPDATE), checks the
-- caller's expected snapshot, and bumps `version`: writers are serialised per playlist, so concurrent clients
-- never lose an update or corrupt positions. The snapshot ID callers see is derived from (id, version).
-- Track IDs refer to MusicService's catalog, which this schema does not read: durations are copied when items are
-- added (for total_duration_ms), and details are fetched from MusicService when a playlist is read.

CREATE TABLE playlists.playlists (
    id                 text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    owner_id           text NOT NULL CHECK (length(owner_id) BETWEEN 1 AND 64),
    owner_display_name text NOT NULL DEFAULT '',
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description        text NOT NULL DEFAULT '' CHECK (length(description) <= 300),
    -- audotics.v1.PlaylistVisibility: 1 private, 2 public.
    visibility         smallint NOT NULL CHECK (visibility IN (1, 2)),
    collaborative      boolean NOT NULL DEFAULT false,
    version            bigint NOT NULL DEFAULT 1 CHECK (version >= 1),
    item_count         integer NOT NULL DEFAULT 0 CHECK (item_count BETWEEN 0 AND 10000),
    total_duration_ms  bigint NOT NULL DEFAULT 0 CHECK (total_duration_ms >= 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX playlists_by_owner ON playlists.playlists (owner_id, updated_at DESC, id);
CREATE INDEX public_playlists_by_owner ON playlists.playlists (owner_id, updated_at DESC, id) WHERE visibility = 2;

CREATE TABLE playlists.items (
    playlist_id  text NOT NULL REFERENCES playlists.playlists (id) ON DELETE CASCADE,
    position     integer NOT NULL CHECK (position BETWEEN 0 AND 9999),
    track_id     text NOT NULL CHECK (length(track_id) BETWEEN 1 AND 64),
    duration_ms  integer NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),
    added_at     timestamptz NOT NULL DEFAULT now(),
    added_by     text NOT NULL,
    -- Deferred, so that shifting a range of positions in one UPDATE never collides half-way.
    PRIMARY KEY (playlist_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX items_by_track ON playlists.items (track_id);
