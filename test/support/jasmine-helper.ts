// These specs start real processes and a real browser on 2 shared cores: give them time.
jasmine.DEFAULT_TIMEOUT_INTERVAL = 180_000;
