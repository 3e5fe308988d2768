-- dr.protection.list pages by group name with a cursor (issue 15.3 / 18.7): the unique name index serves a
-- province-wide list; this one serves a department's in name order.
CREATE INDEX dr_protection_groups_department_list_idx ON dr_protection_groups(department_id, name);
