-- IPAM: address spaces (VRFs), hierarchical prefixes (aggregates, containers, assignments), addresses,
-- paired IPv4 + IPv6 allocation templates per unit level and plane, NAT mappings of migrated department networks.
--
-- Overlap inside one VRF is refused by the database, not only by the service:
--  * every prefix records its depth in the tree and its parent's (id, vrf, depth, cidr) through a composite
--    foreign key, and a CHECK keeps it strictly inside that parent;
--  * a GiST exclusion constraint forbids two prefixes of the same VRF and the same depth to overlap.
-- Together: two overlapping prefixes of one VRF are always ancestor and descendant, never strangers.
-- Different VRFs may overlap freely (migrated department networks reuse 10/8 and the like).

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE ipam_vrfs (
  id               uuid PRIMARY KEY,
  name             text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'),
  -- Route distinguisher (ASN:nn or IPv4:nn); NULL for the global routing table.
  rd               text UNIQUE,
  import_targets   text[] NOT NULL DEFAULT '{}',
  export_targets   text[] NOT NULL DEFAULT '{}',
  plane_id         text REFERENCES extranet_planes(id) ON DELETE RESTRICT,
  -- A department's own network migrated onto the extranet; NULL = shared, province-wide space.
  department_id    uuid REFERENCES departments(id) ON DELETE RESTRICT,
  kind             text NOT NULL DEFAULT 'extranet' CHECK (kind IN ('extranet', 'department', 'global')),
  migration_state  text CHECK (migration_state IN ('planned', 'in-progress', 'migrated', 'verified')),
  description      text NOT NULL DEFAULT '',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ipam_vrfs_department_ck CHECK (kind <> 'department' OR department_id IS NOT NULL)
);
CREATE INDEX ipam_vrfs_plane_idx ON ipam_vrfs(plane_id);

CREATE TABLE ipam_prefixes (
  id               uuid PRIMARY KEY,
  vrf_id           uuid NOT NULL REFERENCES ipam_vrfs(id) ON DELETE RESTRICT,
  cidr             cidr NOT NULL,
  family           text NOT NULL CHECK (family IN ('ipv4', 'ipv6')),
  parent_id        uuid,
  parent_depth     integer,
  parent_cidr      cidr,
  depth            integer NOT NULL CHECK (depth >= 0),
  kind             text NOT NULL CHECK (kind IN ('aggregate', 'container', 'assigned')),
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'reserved', 'deprecated')),
  unit_code        text REFERENCES access_units(code) ON DELETE RESTRICT,
  plane_id         text REFERENCES extranet_planes(id) ON DELETE RESTRICT,
  description      text NOT NULL DEFAULT '',
  -- One allocation request = one key; a retry returns the same prefix instead of a second one.
  idempotency_key  text UNIQUE,
  -- Allocation hint, kept under the parent's row lock: everything from the start of this prefix up to the end
  -- of fill_cidr (a child or an address in it) is occupied, so first-fit reads the children after it only.
  -- Cleared whenever something in this prefix is freed. NULL: unknown, read from the start.
  fill_cidr        cidr,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ipam_prefixes_family_ck CHECK (family = CASE family(cidr) WHEN 4 THEN 'ipv4' ELSE 'ipv6' END),
  CONSTRAINT ipam_prefixes_tree_ck CHECK (
    (parent_id IS NULL AND parent_depth IS NULL AND parent_cidr IS NULL AND depth = 0)
    OR (parent_id IS NOT NULL AND parent_depth IS NOT NULL AND parent_cidr IS NOT NULL
        AND depth = parent_depth + 1 AND cidr << parent_cidr)),
  CONSTRAINT ipam_prefixes_node_uq UNIQUE (id, vrf_id, depth, cidr),
  CONSTRAINT ipam_prefixes_address_parent_uq UNIQUE (id, vrf_id, cidr),
  -- DEFERRABLE (checked at once unless a transaction defers them): creating a container over existing prefixes
  -- moves their subtrees one level down, through states that only the committed tree must satisfy.
  CONSTRAINT ipam_prefixes_parent_fk FOREIGN KEY (parent_id, vrf_id, parent_depth, parent_cidr)
    REFERENCES ipam_prefixes (id, vrf_id, depth, cidr) DEFERRABLE INITIALLY IMMEDIATE,
  CONSTRAINT ipam_prefixes_no_overlap EXCLUDE USING gist (vrf_id WITH =, depth WITH =, cidr inet_ops WITH &&) DEFERRABLE INITIALLY IMMEDIATE
);
-- Free-space search reads the children of one parent in address order.
CREATE INDEX ipam_prefixes_children_idx ON ipam_prefixes(parent_id, cidr);
CREATE INDEX ipam_prefixes_roots_idx ON ipam_prefixes(vrf_id, cidr) WHERE parent_id IS NULL;
CREATE INDEX ipam_prefixes_unit_plane_family_idx ON ipam_prefixes(unit_code, plane_id, family);

CREATE TABLE ipam_addresses (
  id               uuid PRIMARY KEY,
  vrf_id           uuid NOT NULL,
  prefix_id        uuid NOT NULL,
  prefix_cidr      cidr NOT NULL,
  -- Always a host address (/32 or /128).
  address          inet NOT NULL,
  family           text NOT NULL CHECK (family IN ('ipv4', 'ipv6')),
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'reserved', 'deprecated')),
  unit_code        text REFERENCES access_units(code) ON DELETE RESTRICT,
  plane_id         text REFERENCES extranet_planes(id) ON DELETE RESTRICT,
  dns_name         text,
  description      text NOT NULL DEFAULT '',
  idempotency_key  text UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ipam_addresses_prefix_fk FOREIGN KEY (prefix_id, vrf_id, prefix_cidr)
    REFERENCES ipam_prefixes (id, vrf_id, cidr) DEFERRABLE INITIALLY IMMEDIATE,
  CONSTRAINT ipam_addresses_vrf_uq UNIQUE (vrf_id, address),
  CONSTRAINT ipam_addresses_family_ck CHECK (family = CASE family(address) WHEN 4 THEN 'ipv4' ELSE 'ipv6' END),
  CONSTRAINT ipam_addresses_host_ck CHECK (masklen(address) = CASE family(address) WHEN 4 THEN 32 ELSE 128 END),
  CONSTRAINT ipam_addresses_inside_ck CHECK (address <<= prefix_cidr),
  -- Never the unspecified address, never an IPv4 network / broadcast address (except /31, /32 point-to-point
  -- and host routes, RFC 3021), never the IPv6 subnet-router anycast address (except /127, /128, RFC 6164).
  CONSTRAINT ipam_addresses_unspecified_ck CHECK (address <> '::/128'::inet AND address <> '0.0.0.0/32'::inet),
  CONSTRAINT ipam_addresses_network_ck CHECK (
    masklen(prefix_cidr) >= CASE family(address) WHEN 4 THEN 31 ELSE 127 END
    OR address <> set_masklen(network(prefix_cidr)::inet, masklen(address))),
  CONSTRAINT ipam_addresses_broadcast_ck CHECK (
    family(address) = 6 OR masklen(prefix_cidr) >= 31
    OR address <> set_masklen(broadcast(prefix_cidr), 32))
);
CREATE INDEX ipam_addresses_prefix_idx ON ipam_addresses(prefix_id, address);
CREATE INDEX ipam_addresses_unit_plane_family_idx ON ipam_addresses(unit_code, plane_id, family);

-- Paired allocation: for a unit of a given level on a given plane, one IPv4 and one IPv6 prefix of the
-- configured lengths, taken from the configured parents, in one transaction.
CREATE TABLE ipam_templates (
  id               uuid PRIMARY KEY,
  unit_level       text NOT NULL CHECK (unit_level IN ('province', 'city', 'county', 'township', 'village', 'site')),
  plane_id         text NOT NULL REFERENCES extranet_planes(id) ON DELETE RESTRICT,
  ipv4_parent_id   uuid NOT NULL REFERENCES ipam_prefixes(id) ON DELETE RESTRICT,
  ipv4_length      integer NOT NULL CHECK (ipv4_length BETWEEN 1 AND 32),
  ipv6_parent_id   uuid NOT NULL REFERENCES ipam_prefixes(id) ON DELETE RESTRICT,
  ipv6_length      integer NOT NULL CHECK (ipv6_length BETWEEN 1 AND 128),
  strategy         text NOT NULL DEFAULT 'first-fit' CHECK (strategy IN ('first-fit', 'best-fit', 'sparse', 'nibble')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ipam_templates_level_plane_uq UNIQUE (unit_level, plane_id)
);

-- A migrated department network's (overlapping) inside space translated to extranet outside space.
CREATE TABLE ipam_nat_mappings (
  id               uuid PRIMARY KEY,
  inside_vrf_id    uuid NOT NULL REFERENCES ipam_vrfs(id) ON DELETE RESTRICT,
  inside_cidr      cidr NOT NULL,
  outside_vrf_id   uuid NOT NULL REFERENCES ipam_vrfs(id) ON DELETE RESTRICT,
  outside_cidr     cidr NOT NULL,
  description      text NOT NULL DEFAULT '',
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ipam_nat_mappings_size_ck CHECK (masklen(inside_cidr) = masklen(outside_cidr) AND family(inside_cidr) = family(outside_cidr)),
  CONSTRAINT ipam_nat_mappings_inside_no_overlap EXCLUDE USING gist (inside_vrf_id WITH =, inside_cidr inet_ops WITH &&),
  CONSTRAINT ipam_nat_mappings_outside_no_overlap EXCLUDE USING gist (outside_vrf_id WITH =, outside_cidr inet_ops WITH &&)
);
