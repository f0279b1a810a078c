-- The users schema, owned by UserService: no other service reads or writes its tables.
CREATE SCHEMA IF NOT EXISTS users;
