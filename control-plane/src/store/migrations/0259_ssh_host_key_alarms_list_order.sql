-- devices.alarms pages newest first by id (store/keyset.ts): the open alarms and one cloud's walk an index of
-- their own in that order (the primary key serves the whole list and the resolved ones).
CREATE INDEX ssh_host_key_alarms_open_order ON ssh_host_key_alarms(id DESC) WHERE resolved_at IS NULL;
CREATE INDEX ssh_host_key_alarms_cloud_order ON ssh_host_key_alarms(cloud_id, id DESC);
