-- The application's own first migration: its versions share nothing with Hangfire's, whose history is kept apart.
CREATE TABLE app_customer (
    id BIGINT NOT NULL PRIMARY KEY,
    name VARCHAR(100) NOT NULL
);
