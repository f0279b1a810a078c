-- The music catalog: artists, albums and tracks, searchable by words (full text) and by likeness (trigrams, for
-- typos), plus the listening history that the analytics pipeline writes and MusicService.ListHistory reads.
--
-- IDs are opaque text chosen by the loader (the demo generator makes `ar_…`, `al_…`, `tr_…`). Tracks carry copies
-- of their artist's name and album's title so that a track reads from one row and search indexes one table;
-- triggers keep the copies in step when an artist or album is renamed.

-- Both extensions are trusted (PostgreSQL 13+): a database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could change); index expressions need IMMUTABLE. Pinning the
-- dictionary makes the wrapper safe to declare immutable, the usual PostgreSQL idiom.
CREATE FUNCTION music.fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

CREATE TABLE music.artists (
    id          text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    genres      text[] NOT NULL DEFAULT '{}',
    popularity  integer NOT NULL DEFAULT 0 CHECK (popularity BETWEEN 0 AND 100),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE music.albums (
    id            text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    artist_id     text NOT NULL REFERENCES music.artists (id),
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    release_year  integer NOT NULL CHECK (release_year BETWEEN 1800 AND 2100),
    genres        text[] NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX albums_by_artist ON music.albums (artist_id, release_year DESC, id);

CREATE TABLE music.tracks (
    id            text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    album_id      text NOT NULL REFERENCES music.albums (id),
    artist_id     text NOT NULL REFERENCES music.artists (id),
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    artist_name   text NOT NULL,
    album_title   text NOT NULL,
    duration_ms   integer NOT NULL CHECK (duration_ms BETWEEN 1 AND 86400000),
    genres        text[] NOT NULL DEFAULT '{}',
    release_year  integer NOT NULL CHECK (release_year BETWEEN 1800 AND 2100),
    popularity    integer NOT NULL DEFAULT 0 CHECK (popularity BETWEEN 0 AND 100),
    track_number  integer NOT NULL DEFAULT 1 CHECK (track_number BETWEEN 1 AND 1000),
    disc_number   integer NOT NULL DEFAULT 1 CHECK (disc_number BETWEEN 1 AND 100),
    explicit      boolean NOT NULL DEFAULT false,
    isrc          text CHECK (isrc ~ '^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$'),
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- Words, weighted: title A, artist B, album C ('simple' configuration: no stemming, any language).
    search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', music.fold(title)), 'A')
        || setweight(to_tsvector('simple', music.fold(artist_name)), 'B')
        || setweight(to_tsvector('simple', music.fold(album_title)), 'C')
    ) STORED,
    -- What trigram similarity compares against (typo-tolerant matching of title and artist).
    search_text   text GENERATED ALWAYS AS (music.fold(title || ' ' || artist_name)) STORED
);
CREATE INDEX tracks_by_album ON music.tracks (album_id, disc_number, track_number);
CREATE INDEX tracks_by_artist ON music.tracks (artist_id, popularity DESC, id);
CREATE INDEX tracks_search ON music.tracks USING gin (search_vector);
CREATE INDEX tracks_search_trigrams ON music.tracks USING gin (search_text gin_trgm_ops);
CREATE INDEX tracks_genres ON music.tracks USING gin (genres);

-- Keep the copies in music.tracks in step with renames.
CREATE FUNCTION music.sync_artist_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE music.tracks SET artist_name = NEW.name WHERE artist_id = NEW.id;
    RETURN NEW;
END $$;
CREATE TRIGGER artists_rename AFTER UPDATE OF name ON music.artists
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION music.sync_artist_name();

CREATE FUNCTION music.sync_album_title() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE music.tracks SET album_title = NEW.title WHERE album_id = NEW.id;
    RETURN NEW;
END $$;
CREATE TRIGGER albums_rename AFTER UPDATE OF title ON music.albums
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION music.sync_album_title();

-- One row per play, written by the analytics pipeline (idempotent on play_id); read newest first per user.
CREATE TABLE music.listening_history (
    play_id       text PRIMARY KEY CHECK (length(play_id) BETWEEN 1 AND 128),
    user_id       text NOT NULL CHECK (length(user_id) BETWEEN 1 AND 64),
    track_id      text NOT NULL REFERENCES music.tracks (id),
    played_at     timestamptz NOT NULL,
    played_ms     integer NOT NULL DEFAULT 0 CHECK (played_ms >= 0),
    completed     boolean NOT NULL DEFAULT false,
    skipped       boolean NOT NULL DEFAULT false,
    -- audotics.v1.PlaybackContext: source and device types as their enum numbers, the rest as given.
    source        integer NOT NULL DEFAULT 0,
    source_id     text NOT NULL DEFAULT '',
    device_type   integer NOT NULL DEFAULT 0,
    device_id     text NOT NULL DEFAULT '',
    session_id    text NOT NULL DEFAULT ''
);
CREATE INDEX listening_history_by_user ON music.listening_history (user_id, played_at DESC, play_id DESC);
