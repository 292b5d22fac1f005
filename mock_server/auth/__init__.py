"""OAuth 2.0 as LinkedIn runs it: the token endpoint, introspection, the token registry and the access rules
that decide which application may call which resource for which integration context."""
