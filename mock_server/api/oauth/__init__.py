"""OAuth 2.0 as LinkedIn runs it on www.linkedin.com/oauth/v2: the token endpoint (2-legged and 3-legged grants,
refresh), introspection, and the member consent page of the authorization-code flow."""
