"""The ``/_mock`` admin API: health, reset, tokens for tests, customer stand-ins, the clock, the inbox."""
