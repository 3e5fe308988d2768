-- Resources delivered by requests (issue 16): cloud hosts, data volumes, container workloads and network
-- segments, each a row from the moment provisioning starts until it is released, with the addresses IPAM gave it.

-- What a request names, besides (or instead of) plain quota items: [{kind: host|volume|workload|segment, …}].
-- `items` keeps the quota the request moves (derived from these plus any quota-only items).
ALTER TABLE resource_requests ADD COLUMN resources jsonb NOT NULL DEFAULT '[]'::jsonb;

-- Where a cloud's segments take their prefixes: per network (the government extranet, or the internet-facing
-- zone) and family, one IPAM prefix (a container) that segments are carved from as assigned children.
CREATE TABLE resource_address_pools (
  cloud_id    text NOT NULL REFERENCES clouds(id) ON DELETE CASCADE,
  network     text NOT NULL CHECK (network IN ('extranet', 'internet')),
  family      text NOT NULL CHECK (family IN ('ipv4', 'ipv6')),
  prefix_id   uuid NOT NULL REFERENCES ipam_prefixes(id) ON DELETE RESTRICT,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (cloud_id, network, family)
);

CREATE TABLE resources (
  id             uuid PRIMARY KEY,
  system_id      uuid NOT NULL REFERENCES business_systems(id) ON DELETE RESTRICT,
  department_id  uuid NOT NULL REFERENCES departments(id) ON DELETE RESTRICT,
  cloud_id       text NOT NULL REFERENCES clouds(id) ON DELETE RESTRICT,
  -- The request that created it (and the last one that changed it).
  request_id     uuid NOT NULL REFERENCES resource_requests(id) ON DELETE RESTRICT,
  changed_by_request_id uuid REFERENCES resource_requests(id) ON DELETE SET NULL,
  kind           text NOT NULL CHECK (kind IN ('host', 'volume', 'workload', 'segment')),
  -- The name the department gave it; unique among the system's live resources of the kind.
  name           text NOT NULL,
  -- The tenant space on the cloud and the cloud object's name (DNS labels, chosen by Ganyun).
  tenant         text NOT NULL,
  cloud_name     text NOT NULL,
  state          text NOT NULL CHECK (state IN ('provisioning', 'active', 'changing', 'releasing', 'released', 'failed')),
  -- What was asked (flavour, image, arch, vendor, sizes, network …), as the request item said it.
  spec           jsonb NOT NULL,
  -- What it counts against the system's quota on its cloud: {vcpu, memoryGiB, storageGiB, gpu, ipv4Addresses, ipv6Prefixes64}.
  quota          jsonb NOT NULL,
  zone           text,
  vendor         text,
  provider_ids   jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- A host or workload sits on a segment; a volume is attached to a host.
  segment_id     uuid REFERENCES resources(id) ON DELETE RESTRICT,
  attached_to    uuid REFERENCES resources(id) ON DELETE RESTRICT,
  ipv4           text,
  ipv6           text,
  -- The IPAM rows it owns: {ipv4PrefixId, ipv6PrefixId} for a segment, {ipv4AddressId, ipv6AddressId} for a host.
  ipam           jsonb NOT NULL DEFAULT '{}'::jsonb,
  expires_at     timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  released_at    timestamptz
);
CREATE UNIQUE INDEX resources_live_name_uq ON resources(system_id, kind, name) WHERE state <> 'released';
CREATE UNIQUE INDEX resources_live_cloud_name_uq ON resources(cloud_id, tenant, kind, cloud_name) WHERE state <> 'released';
CREATE INDEX resources_system_idx ON resources(system_id, kind, name);
CREATE INDEX resources_department_idx ON resources(department_id);
CREATE INDEX resources_request_idx ON resources(request_id);
