-- The playlists schema, owned by PlaylistService: no other service reads or writes its tables.
CREATE SCHEMA IF NOT EXISTS playlists;
