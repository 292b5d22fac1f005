"""Test support: run the real server in-process (:mod:`.server`) and the pytest plugin (:mod:`.plugin`)."""
