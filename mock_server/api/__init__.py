"""LinkedIn's hosts over HTTP: the gate every Rest.li call passes (version, token, audience, quota), one module
per LinkedIn resource (:mod:`.resources`), OAuth (:mod:`.oauth`) and the JavaScript widgets (:mod:`.widgets`).
Modules here turn requests into domain calls and domain results into LinkedIn's replies; they never import the
``/_mock`` harness."""
