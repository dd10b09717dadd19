-- Stores, warehouses and the online DC.
CREATE TABLE location (
    id             varchar(100)     PRIMARY KEY,
    name           varchar(200)     NOT NULL,
    type           varchar(20)      NOT NULL CHECK (type IN ('STORE', 'WAREHOUSE', 'ONLINE_DC')),
    latitude       double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude      double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    time_zone      varchar(64)      NOT NULL,
    pickup_enabled boolean          NOT NULL,
    fulfils_online boolean          NOT NULL,
    -- day of week -> "HH:mm-HH:mm", null when closed
    opening_hours  jsonb            NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz      NOT NULL,
    updated_at     timestamptz      NOT NULL
);
-- "near me" narrows by a bounding box before it measures distances
CREATE INDEX location_pickup_position ON location (latitude, longitude) WHERE pickup_enabled;

-- Sellable variants of a product (size, colour, ...).
CREATE TABLE sku (
    sku        varchar(100) PRIMARY KEY,
    product_id varchar(100) NOT NULL,
    name       varchar(300) NOT NULL,
    attributes jsonb        NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz  NOT NULL,
    updated_at timestamptz  NOT NULL
);
CREATE INDEX sku_product ON sku (product_id);

-- The quantities of one sku@location. available is derived, so it can never disagree with its parts; reservations
-- only ever raise reserved with "UPDATE ... WHERE on_hand - reserved - committed - safety_stock - damaged >= :qty".
-- on_hand may go below zero: a POS sale is a fact even when the books did not know the unit; a count corrects it.
CREATE TABLE stock_level (
    sku          varchar(100) NOT NULL REFERENCES sku (sku),
    location_id  varchar(100) NOT NULL REFERENCES location (id),
    on_hand      integer      NOT NULL DEFAULT 0,
    reserved     integer      NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    committed    integer      NOT NULL DEFAULT 0 CHECK (committed >= 0),
    safety_stock integer      NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
    damaged      integer      NOT NULL DEFAULT 0 CHECK (damaged >= 0),
    available    integer      GENERATED ALWAYS AS
                     (GREATEST(0, on_hand - reserved - committed - safety_stock - damaged)) STORED,
    updated_at   timestamptz  NOT NULL,
    PRIMARY KEY (sku, location_id)
);
CREATE INDEX stock_level_location ON stock_level (location_id);

-- Every movement applied (or, from Kafka, rejected by its compare-and-set), keyed by the partner's movement id so a
-- repeat is answered with the first outcome and never applied twice.
CREATE TABLE stock_movement (
    movement_id      varchar(200) PRIMARY KEY,
    kind             varchar(20)  NOT NULL,
    sku              varchar(100) NOT NULL REFERENCES sku (sku),
    location_id      varchar(100) NOT NULL REFERENCES location (id),
    quantity         integer      NOT NULL,
    expected_on_hand integer,
    transfer_id      varchar(200),
    source           varchar(100),
    occurred_at      timestamptz  NOT NULL,
    recorded_at      timestamptz  NOT NULL,
    status           varchar(20)  NOT NULL CHECK (status IN ('APPLIED', 'REJECTED')),
    reason           varchar(500),
    -- the picture of sku@location right after the movement
    on_hand          integer      NOT NULL,
    reserved         integer      NOT NULL,
    committed        integer      NOT NULL,
    safety_stock     integer      NOT NULL,
    damaged          integer      NOT NULL,
    available        integer      NOT NULL
);
CREATE INDEX stock_movement_transfer ON stock_movement (transfer_id) WHERE transfer_id IS NOT NULL;
CREATE INDEX stock_movement_stock ON stock_movement (sku, location_id, recorded_at);

-- Stock held for a customer: reserved while ACTIVE, committed once the order is placed.
CREATE TABLE reservation (
    id                     uuid             PRIMARY KEY,
    profile_id             varchar(100),
    channel                varchar(20)      NOT NULL,
    status                 varchar(20)      NOT NULL
                               CHECK (status IN ('ACTIVE', 'COMMITTED', 'FULFILLED', 'RELEASED', 'EXPIRED')),
    pickup_location_id     varchar(100)     REFERENCES location (id),
    allow_reallocation     boolean          NOT NULL,
    reallocation_radius_km double precision,
    order_id               varchar(200),
    idempotency_key        varchar(200)     UNIQUE,
    request_hash           varchar(64),
    expires_at             timestamptz      NOT NULL,
    created_at             timestamptz      NOT NULL,
    updated_at             timestamptz      NOT NULL
);
CREATE INDEX reservation_expiry ON reservation (expires_at) WHERE status = 'ACTIVE';
CREATE INDEX reservation_profile ON reservation (profile_id);

CREATE TABLE reservation_line (
    id             uuid         PRIMARY KEY,
    reservation_id uuid         NOT NULL REFERENCES reservation (id),
    line_no        integer      NOT NULL,
    sku            varchar(100) NOT NULL REFERENCES sku (sku),
    location_id    varchar(100) NOT NULL REFERENCES location (id),
    quantity       integer      NOT NULL CHECK (quantity > 0),
    -- a store sale left less on hand than this line holds
    at_risk        boolean      NOT NULL DEFAULT false,
    UNIQUE (reservation_id, line_no)
);
CREATE INDEX reservation_line_stock ON reservation_line (sku, location_id);
CREATE INDEX reservation_line_at_risk ON reservation_line (reservation_id) WHERE at_risk;

-- "Notify me": a profile waits for a sku at one store, or online when location_id is null.
CREATE TABLE back_in_stock_subscription (
    id          uuid         PRIMARY KEY,
    profile_id  varchar(100) NOT NULL,
    sku         varchar(100) NOT NULL REFERENCES sku (sku),
    location_id varchar(100) REFERENCES location (id),
    created_at  timestamptz  NOT NULL,
    notified_at timestamptz
);
CREATE UNIQUE INDEX back_in_stock_waiting ON back_in_stock_subscription (profile_id, sku, COALESCE(location_id, ''))
    WHERE notified_at IS NULL;
CREATE INDEX back_in_stock_stock ON back_in_stock_subscription (sku, location_id) WHERE notified_at IS NULL;
CREATE INDEX back_in_stock_profile ON back_in_stock_subscription (profile_id);

-- Merges announced on omni.profiles. Like profile-service, inventory moves nothing in a merge: each reservation and
-- subscription keeps the profile that made it, reads gather the survivor's group, and an unmerge deletes one row.
CREATE TABLE profile_merge (
    merge_id            varchar(200) PRIMARY KEY,
    absorbed_profile_id varchar(100) NOT NULL,
    survivor_profile_id varchar(100) NOT NULL
);
CREATE INDEX profile_merge_survivor ON profile_merge (survivor_profile_id);
CREATE INDEX profile_merge_absorbed ON profile_merge (absorbed_profile_id);
