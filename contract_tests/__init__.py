"""Contract tests of the RSC API: documented requests and the status and schema of their replies.

Run against the emulator (default) or any server (``RSC_CONTRACT_BASE_URL``); see README.md."""
