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
