-- requests.chains pages by (department or the nil uuid for the general chains, threshold, id) with a cursor
-- (issue 15.3 / 18.7): this index is in the page's order, so a page is an index walk of about `limit` rows.
CREATE INDEX approval_chains_list_idx ON approval_chains((coalesce(department_id, '00000000-0000-0000-0000-000000000000'::uuid)), min_units, id);
