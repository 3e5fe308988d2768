-- extranet.devices pages by name with a cursor (issue 15.3 / 18.7): the unique name index serves the unfiltered
-- list; these serve a role or a plane filter in name order, so a page reads about a page of index entries.
CREATE INDEX extranet_devices_role_list_idx ON extranet_devices(role, name);
CREATE INDEX extranet_devices_plane_list_idx ON extranet_devices(plane_id, name);
