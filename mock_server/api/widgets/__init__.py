"""Offline stand-ins for LinkedIn's JavaScript plugins: ``in.js`` and the two RSC widgets it renders.

* ``static/in.js`` (served at ``/xdoor/scripts/in.js``) reads its script tag's configuration block
  (``api_key: …``, ``extensions: Name@url``), finds ``<script type="IN/ATSIntegrationWidget">`` and
  ``<script type="IN/HcmWidget">`` tags and renders each in an iframe served by the emulator; the frame
  talks back through ``postMessage`` and in.js calls the page's ``data-on…`` functions.
* :mod:`.access` decides who may show a widget (api_key + page origin against ``validJsSdkDomains``).
* :mod:`.configuration`: the ATS Integration Configuration widget (admin sign-in, pre-approval).
* :mod:`.profile`: the profile widget (matched member, recruiting activity, link / unlink).
* :mod:`.routes`: the HTTP endpoints (``ROUTES``).

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/rsc-customer-configuration
(configuration plugin) and …/recruiter-system-connect/profile-plugin (profile widget); spec
oauth-restli-onboarding.md §4.2 and sync-and-retrieve.md §7.1.
"""
