-- The music schema, owned by MusicService: no other service reads or writes its tables.
CREATE SCHEMA IF NOT EXISTS music;
