"""The partner's certification hook: how the guided run asks the ATS to do what, in LinkedIn's meetings, the
partner does by hand in its own product ("now remove that user from the ACL").

The hook is one URL of the partner's test deployment (``rsc-mock certify run --partner URL``). Each step is
``POST <URL>`` with a JSON object ``{"action", "customer": <uniqueForeignId>, "case": <case id>, ...}`` and
must answer 2xx with a JSON object once the ATS has done it (its sync to LinkedIn may still be running; the
runner waits for that on the emulator's clock). A 501 means "this ATS does not do that" (the case is then
not exercised); any other answer or no answer fails the case, with what the hook said.

=====================  ====================================================  ===================================
action                 arguments                                             answer
=====================  ====================================================  ===================================
describe               —                                                     ``{"atsOrigin"?}`` origin of the ATS
                                                                             page that embeds LinkedIn's widgets
onboard                —                                                     provision or find the customer's
                                                                             child application, keep its
                                                                             credentials, add ``atsOrigin`` to
                                                                             its validJsSdkDomains
integrationsApproved   ``integrations``: what ``data-onintegrate`` receives  name them, configure CALLBACK_URL
status                 —                                                     ``{"connected", "usesAcls",
                                                                             "totals": {"jobs": {"LISTED",
                                                                             "CLOSED"}, "candidates",
                                                                             "applications"}}``
tick                   ``now`` (epoch ms on the emulator's clock)            run scheduled work (InMail polls)
createJob              ``availability``                                      ``{"externalJobPostingId",
                                                                             "offersChoice"?}``
createCandidate        ``member`` (``{"person", "firstName", "lastName",     ``{"atsCandidateId"}``
                       "emailAddress"}``, or null: invent one),
                       ``externalJobPostingId``?
updateCandidate        ``atsCandidateId``                                    ``{"field", "value"}`` as synced
syncInvalidJob         —                                                     ``{"error"}`` the ATS shows
profileLinked          ``atsCandidateId``, ``member`` (``data-onlink``)      ``{"member"}`` the ATS now maps
createAcl              ``members`` (person URNs)                             ``{"atsEntityAclId",
                                                                             "externalJobPostingId"}``
applyToJob             ``externalJobPostingId``, ``member``                  ``{"atsCandidateId",
                                                                             "atsJobApplicationId"}``
removeAclAssignee      ``atsEntityAclId``, ``member``                        ``{}``
addAclAssignee         ``atsEntityAclId``, ``member``                        ``{}``
deleteCandidate        ``notesFirst``                                        ``{"atsCandidateId"}`` it selected
deleteApplication      ``recordsFirst``                                      ``{"atsJobApplicationId"}``
=====================  ====================================================  ===================================

Answers may add ``integrationContext`` (default: the customer's first organization).
"""

from __future__ import annotations

import httpx

NOT_IMPLEMENTED = 501


class HookError(Exception):
    """The hook refused a step or could not be reached; the message says which step and what it answered."""


class NotOffered(HookError):
    """The hook answered 501: this ATS does not do the step."""


class PartnerHook:
    """A client of the partner's certification hook at ``url`` for customer ``customer``."""

    def __init__(self, url: str, customer: str, timeout_s: float = 60.0) -> None:
        self.url = url
        self.customer = customer
        self.http = httpx.Client(timeout=timeout_s, trust_env=False)

    def ask(self, action: str, case: str | None = None, customer: str | None = None, **arguments) -> dict:
        """Ask the ATS to do ``action``; its JSON answer. Raises :class:`NotOffered` (501) or
        :class:`HookError` (another status, a body that is not a JSON object, no answer)."""
        body = {"action": action, "customer": customer or self.customer, "case": case, **arguments}
        try:
            reply = self.http.post(self.url, json=body)
        except httpx.HTTPError as error:
            raise HookError(f"the partner's certification hook at {self.url} did not answer {action}:"
                            f" {type(error).__name__}: {error}") from None
        if reply.status_code == NOT_IMPLEMENTED:
            raise NotOffered(f"the partner's certification hook does not offer {action} (501)")
        if not 200 <= reply.status_code < 300:
            raise HookError(f"the partner's certification hook answered {reply.status_code} to {action}:"
                            f" {reply.text[:300]}")
        try:
            answer = reply.json() if reply.content else {}
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise HookError(f"the partner's certification hook answered {action} with {reply.text[:200]!r}, not a JSON"
                            " object")
        return answer

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()
