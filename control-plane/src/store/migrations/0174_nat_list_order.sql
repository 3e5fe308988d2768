-- ipam.natMappings pages by (inside VRF, inside CIDR) with a cursor (issue 15.3 / 18.7); the exclusion
-- constraint's GiST index cannot give that order, this B-tree does.
CREATE INDEX ipam_nat_mappings_list_idx ON ipam_nat_mappings(inside_vrf_id, inside_cidr);
