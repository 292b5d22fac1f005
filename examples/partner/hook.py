"""The reference ATS's certification hook: each action of ``rsc-mock certify run --partner URL`` (see
``mock_server/certification/partner.py``) done the way a user of the ATS would do it, through the connector.

In a real ATS this lives in a test deployment only; it is how LinkedIn's "now remove that user from the
group" becomes a call instead of a click.
"""

from __future__ import annotations

from .connector import Connector


class Hook:
    """Answers the certification runner's actions for ``connector``; :meth:`answer` returns ``(status,
    JSON answer)``."""

    def __init__(self, connector: Connector) -> None:
        self.connector = connector

    def answer(self, request: dict) -> tuple[int, dict]:
        """One action (``request["action"]``) for ``request["customer"]``; 501 for one it does not offer."""
        action = getattr(self, "do_" + str(request.get("action")), None)
        if action is None:
            return 501, {"message": f"the reference ATS does not offer {request.get('action')!r}"}
        return 200, action(request["customer"], request)

    def do_describe(self, customer: str, request: dict) -> dict:
        """Where the ATS's pages (and LinkedIn's widgets on them) live."""
        return {"atsOrigin": self.connector.public_url}

    def do_onboard(self, customer: str, request: dict) -> dict:
        """The customer's admin connects the ATS to LinkedIn."""
        return {"application": self.connector.onboard(customer).application}

    def do_integrationsApproved(self, customer: str, request: dict) -> dict:
        """The configuration widget's ``data-onintegrate`` callback, as the ATS page posts it."""
        self.connector.integrations_approved(customer, request["integrations"])
        return {}

    def do_status(self, customer: str, request: dict) -> dict:
        """The RSC settings page."""
        return self.connector.status(customer)

    def do_tick(self, customer: str, request: dict) -> dict:
        """Time passed: run scheduled work."""
        self.connector.tick(request["now"])
        return {}

    def do_createJob(self, customer: str, request: dict) -> dict:
        """A new requisition with the availability the customer chose."""
        availability = "PUBLIC" if request.get("availability") == "PUBLIC" else "PRIVATE"
        job = self.connector.create_job(customer, f"{availability.title()} requisition", availability)
        return {"externalJobPostingId": job.id,
                "offersChoice": self.connector.tenant(customer).offers_availability_choice}

    def do_createCandidate(self, customer: str, request: dict) -> dict:
        """A new candidate (who applied, or an invented one), applying to a job when one is named."""
        candidate = self.connector.create_candidate(customer, request.get("member"),
                                                    request.get("externalJobPostingId"))
        return {"atsCandidateId": candidate.id}

    def do_updateCandidate(self, customer: str, request: dict) -> dict:
        """A recruiter edits a candidate."""
        field, value = self.connector.update_candidate(customer, request["atsCandidateId"])
        return {"field": field, "value": value}

    def do_syncInvalidJob(self, customer: str, request: dict) -> dict:
        """A requisition without a title is pushed; the error the ATS shows."""
        return {"error": self.connector.sync_invalid_job(customer)}

    def do_profileLinked(self, customer: str, request: dict) -> dict:
        """The profile widget's ``data-onlink`` callback."""
        self.connector.link_profile(customer, request["atsCandidateId"], request["member"])
        return {"member": self.connector.tenant(customer).candidates[request["atsCandidateId"]].linkedin_member}

    def do_createAcl(self, customer: str, request: dict) -> dict:
        """A security group with these members and a job only it may see."""
        group, job = self.connector.create_group(customer, request["members"])
        return {"atsEntityAclId": group.id, "externalJobPostingId": job.id}

    def do_applyToJob(self, customer: str, request: dict) -> dict:
        """A LinkedIn member applies to a job."""
        candidate = self.connector.create_candidate(customer, request["member"], request["externalJobPostingId"])
        [app] = self.connector.tenant(customer).applications_of(candidate.id)
        return {"atsCandidateId": candidate.id, "atsJobApplicationId": app.id}

    def do_removeAclAssignee(self, customer: str, request: dict) -> dict:
        """An admin removes a user from a group."""
        self.connector.set_member(customer, request["atsEntityAclId"], request["member"], False)
        return {}

    def do_addAclAssignee(self, customer: str, request: dict) -> dict:
        """An admin adds a user to a group."""
        self.connector.set_member(customer, request["atsEntityAclId"], request["member"], True)
        return {}

    def do_deleteCandidate(self, customer: str, request: dict) -> dict:
        """A user deletes a candidate (its notes first when asked)."""
        return {"atsCandidateId": self.connector.delete_candidate(customer, bool(request.get("notesFirst"))).id}

    def do_deleteApplication(self, customer: str, request: dict) -> dict:
        """A user deletes an application (its notes, stages and feedback first when asked)."""
        deleted = self.connector.delete_application(customer, bool(request.get("recordsFirst")))
        return {"atsJobApplicationId": deleted.id}
