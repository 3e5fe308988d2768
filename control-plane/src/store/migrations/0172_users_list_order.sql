-- users.list pages by username with a cursor (issue 15.3 / 18.7): the unique username index serves a
-- province-wide list; this one serves a department's (its own scope or a chosen department) in username order.
CREATE INDEX users_department_list_idx ON users(department_id, username);
