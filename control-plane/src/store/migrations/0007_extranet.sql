-- Government extranet (电子政务外网), "one network, two planes": the planes, the access units on the
-- administrative hierarchy, and (added by the extranet capability) devices, interfaces and links.
-- IPAM (0008) allocates per unit and per plane, so both tables below are referenced from there.

CREATE TABLE extranet_planes (
  id                text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{0,30}$'),
  name              text NOT NULL,
  name_en           text NOT NULL,
  technology        text NOT NULL CHECK (technology IN ('mpls-vpn', 'srv6', 'ip')),
  address_families  text[] NOT NULL CHECK (address_families <@ ARRAY['ipv4', 'ipv6']::text[] AND cardinality(address_families) > 0),
  created_at        timestamptz NOT NULL DEFAULT now()
);

-- 接入单位: a division (province … village) or a unit attached to one (a department site, a township
-- service centre). Villages are not in the divisions table (synthesised for scale), so the tree is kept here.
CREATE TABLE access_units (
  code           text PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z-]{2,40}$'),
  name           text NOT NULL,
  level          text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village', 'site')),
  parent_code    text REFERENCES access_units(code) ON DELETE RESTRICT,
  division_code  text REFERENCES divisions(code),
  -- For 'site' units: what kind of site (department-site, service-centre, …).
  site_kind      text,
  contact_name   text,
  contact_phone  text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX access_units_parent_idx ON access_units(parent_code);
CREATE INDEX access_units_level_idx ON access_units(level);

-- Ancestors kept on the unit (set by the repository from the parent at insert), so coverage and readiness
-- roll up to township, county and city with one GROUP BY instead of a recursive walk over 25,000+ rows.
ALTER TABLE access_units ADD COLUMN city_code text;
ALTER TABLE access_units ADD COLUMN county_code text;
ALTER TABLE access_units ADD COLUMN township_code text;
-- Villages are synthesised for scale (the NBS file stops at townships); say so on the row.
ALTER TABLE access_units ADD COLUMN synthetic boolean NOT NULL DEFAULT false;
-- A department site belongs to a department (department roles see their own sites).
ALTER TABLE access_units ADD COLUMN department_id uuid REFERENCES departments(id) ON DELETE SET NULL;
CREATE INDEX access_units_city_idx ON access_units(city_code, level);
CREATE INDEX access_units_county_idx ON access_units(county_code);
CREATE INDEX access_units_township_idx ON access_units(township_code);

-- Devices on the planes: PE routers, aggregation switches and the CEs at the units. `cloud_id` names the
-- SSH-managed device (a cloud of the registry) behind it, through which live probes run. `plane_id` NULL:
-- the device serves every plane (a PE carrying both planes' VRFs: exactly the shared risk the analyses flag).
CREATE TABLE extranet_devices (
  id            uuid PRIMARY KEY,
  name          text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
  role          text NOT NULL CHECK (role IN ('pe', 'aggregation', 'ce')),
  plane_id      text REFERENCES extranet_planes(id) ON DELETE RESTRICT,
  vendor        text NOT NULL,
  model         text NOT NULL,
  mgmt_address  inet,
  unit_code     text REFERENCES access_units(code) ON DELETE SET NULL,
  cloud_id      text REFERENCES clouds(id) ON DELETE SET NULL,
  state         text NOT NULL DEFAULT 'up' CHECK (state IN ('up', 'down')),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX extranet_devices_plane_idx ON extranet_devices(plane_id, role);

CREATE TABLE extranet_interfaces (
  id          uuid PRIMARY KEY,
  device_id   uuid NOT NULL REFERENCES extranet_devices(id) ON DELETE CASCADE,
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  state       text NOT NULL DEFAULT 'up' CHECK (state IN ('up', 'down')),
  UNIQUE (device_id, name)
);

-- A unit's access link to one plane. `circuit_id` is the carrier's circuit number: the key network staff
-- use in their spreadsheets (CSV import upserts by it). `interface_id`: the access interface, on the aggregation
-- switch when there is one, else on the PE. `ducts` are shared-risk groups (a duct, a pole
-- route, a building entry): two links in one group fail together.
CREATE TABLE extranet_links (
  id                uuid PRIMARY KEY,
  circuit_id        text NOT NULL UNIQUE CHECK (circuit_id ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$'),
  unit_code         text NOT NULL REFERENCES access_units(code) ON DELETE CASCADE,
  plane_id          text NOT NULL REFERENCES extranet_planes(id) ON DELETE RESTRICT,
  pe_device_id      uuid NOT NULL REFERENCES extranet_devices(id) ON DELETE RESTRICT,
  interface_id      uuid REFERENCES extranet_interfaces(id) ON DELETE SET NULL,
  agg_device_id     uuid REFERENCES extranet_devices(id) ON DELETE RESTRICT,
  ce_device_id      uuid REFERENCES extranet_devices(id) ON DELETE SET NULL,
  bandwidth_mbps    integer NOT NULL CHECK (bandwidth_mbps > 0),
  carrier           text NOT NULL,
  ducts             text[] NOT NULL DEFAULT '{}',
  families          text[] NOT NULL DEFAULT ARRAY['ipv4']::text[] CHECK (families <@ ARRAY['ipv4', 'ipv6']::text[] AND cardinality(families) > 0),
  state             text NOT NULL DEFAULT 'up' CHECK (state IN ('up', 'down', 'planned')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX extranet_links_unit_idx ON extranet_links(unit_code, plane_id);
CREATE INDEX extranet_links_pe_idx ON extranet_links(pe_device_id);
CREATE INDEX extranet_links_agg_idx ON extranet_links(agg_device_id);
CREATE INDEX extranet_links_carrier_idx ON extranet_links(carrier);

-- How a cloud (and so the business systems placed on it) attaches to a plane: the PE it hangs off, the VRF
-- (IPAM's ipam_vrfs, 0008: no foreign key because 0008 comes later) and its prefixes; `probe_*` is the
-- address a live probe pings (a gateway or anycast service address in the cloud).
CREATE TABLE extranet_cloud_attachments (
  cloud_id      text NOT NULL REFERENCES clouds(id) ON DELETE CASCADE,
  plane_id      text NOT NULL REFERENCES extranet_planes(id) ON DELETE RESTRICT,
  pe_device_id  uuid NOT NULL REFERENCES extranet_devices(id) ON DELETE RESTRICT,
  vrf_id        uuid,
  prefix_v4     cidr CHECK (prefix_v4 IS NULL OR family(prefix_v4) = 4),
  prefix_v6     cidr CHECK (prefix_v6 IS NULL OR family(prefix_v6) = 6),
  probe_v4      inet CHECK (probe_v4 IS NULL OR family(probe_v4) = 4),
  probe_v6      inet CHECK (probe_v6 IS NULL OR family(probe_v6) = 6),
  state         text NOT NULL DEFAULT 'up' CHECK (state IN ('up', 'down')),
  PRIMARY KEY (cloud_id, plane_id)
);

-- Access checks (from the inventory) and live probes (from the unit's PE over SSH), each with its time.
CREATE TABLE extranet_checks (
  id           uuid PRIMARY KEY,
  unit_code    text NOT NULL REFERENCES access_units(code) ON DELETE CASCADE,
  system_id    uuid REFERENCES business_systems(id) ON DELETE SET NULL,
  plane_id     text NOT NULL REFERENCES extranet_planes(id) ON DELETE CASCADE,
  family       text NOT NULL CHECK (family IN ('ipv4', 'ipv6')),
  source       text NOT NULL CHECK (source IN ('inventory', 'live')),
  ok           boolean NOT NULL,
  reason       text,
  target       text,
  rtt_ms       real,
  loss_percent real,
  path         jsonb NOT NULL DEFAULT '[]'::jsonb,
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX extranet_checks_unit_idx ON extranet_checks(unit_code, at DESC);

-- The latest reachability per unit, plane and family (what readiness reads: one row, not a scan of history).
CREATE TABLE extranet_reachability (
  unit_code  text NOT NULL REFERENCES access_units(code) ON DELETE CASCADE,
  plane_id   text NOT NULL REFERENCES extranet_planes(id) ON DELETE CASCADE,
  family     text NOT NULL CHECK (family IN ('ipv4', 'ipv6')),
  ok         boolean NOT NULL,
  source     text NOT NULL,
  at         timestamptz NOT NULL,
  PRIMARY KEY (unit_code, plane_id, family)
);

-- One row per day and scope (province '36', each city): the readiness dashboard's "over time".
CREATE TABLE extranet_snapshots (
  day          date NOT NULL,
  scope_code   text NOT NULL,
  units        integer NOT NULL,
  dual_plane   integer NOT NULL,
  single_homed integer NOT NULL,
  ipv6_ready   integer NOT NULL,
  cells        jsonb NOT NULL,
  source       text NOT NULL DEFAULT 'daily' CHECK (source IN ('daily', 'manual', 'demo')),
  taken_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (day, scope_code)
);

-- Department private networks (部门专网) and their NAT mappings are IPAM's (ipam_vrfs kind 'department' with
-- migration_state, ipam_nat_mappings, 0008); the extranet analyses read them from there.
