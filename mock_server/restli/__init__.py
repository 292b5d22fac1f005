"""The Rest.li protocol, with no knowledge of RSC: keys (1.0 and 2.0), method resolution, request parsing
(including query tunnelling), envelopes, errors, paging, projections and patches.

Reference: https://linkedin.github.io/rest.li/spec/protocol and LinkedIn's
https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/protocol-version .
"""
