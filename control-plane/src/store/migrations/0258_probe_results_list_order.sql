-- devices.probes pages newest first by (finished_at, id) (store/keyset.ts): the id joins the per-device and
-- per-target indexes so a page is one index walk, filtered or not.
DROP INDEX probe_results_cloud_idx;
DROP INDEX probe_results_target_idx;
CREATE INDEX probe_results_cloud_idx ON probe_results(cloud_id, finished_at DESC, id DESC);
CREATE INDEX probe_results_target_idx ON probe_results(target, finished_at DESC, id DESC);
CREATE INDEX probe_results_list_order ON probe_results(finished_at DESC, id DESC);
