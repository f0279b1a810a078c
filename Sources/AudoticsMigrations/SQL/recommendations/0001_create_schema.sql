-- The recommendations schema, owned by RecommendationService: no other service reads or writes its tables.
CREATE SCHEMA IF NOT EXISTS recommendations;
