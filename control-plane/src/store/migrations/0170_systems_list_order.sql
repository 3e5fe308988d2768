-- systems.list pages by (name, id) with a cursor (issue 15.3 / 18.7): one index per way the list is filtered (none,
-- the caller's or a chosen department, a status), each in the page's order, so a page of 50 out of 100,000
-- systems walks about 50 index entries instead of sorting every match by department and name.
CREATE INDEX business_systems_list_idx ON business_systems(name, id);
CREATE INDEX business_systems_department_list_idx ON business_systems(department_id, name, id);
CREATE INDEX business_systems_status_list_idx ON business_systems(status, name, id);
