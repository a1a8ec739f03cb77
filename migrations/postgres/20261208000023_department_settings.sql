-- Department settings per guild: whether the library serves a department, where a server's admins
-- say otherwise than the config. A row holds only a choice that differs from the config's (the
-- service deletes one that agrees again), so a later change to the config reaches every server that
-- made no choice. Keyed by the department's key when the choice was made, as entries are; a
-- renamed department keeps its old name as an alias, which the catalogue still resolves.
CREATE TABLE department_settings (
    guild_id    BIGINT      NOT NULL,
    department  TEXT COLLATE "C" NOT NULL CHECK (department <> ''),
    served      BOOLEAN     NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (guild_id, department)
);
