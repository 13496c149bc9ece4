-- Which remote apps a terminal registered for (POST /v1/register "apps").
CREATE TABLE device_apps (
    device_id BIGINT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    app TEXT NOT NULL,
    PRIMARY KEY (device_id, app)
);
