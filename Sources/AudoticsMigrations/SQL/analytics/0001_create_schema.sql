-- The analytics schema, owned by AnalyticsService: no other service reads or writes its tables.
CREATE SCHEMA IF NOT EXISTS analytics;
