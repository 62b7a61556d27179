"""The signed, expiring link a lead's contact opens to read a proposal and accept or decline it (no login).

The token carries the proposal id, its version and the nonce of the sending, signed with the project's secret.
It is refused when the signature is bad, when it was made for another proposal or version, when the proposal was
re-sent (new nonce) or superseded by a newer version, or once the link's days have passed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from apps.tiers.models import Proposal, TierSettings

SALT = "tiers.proposal-link"


class LinkRefused(Exception):
    """Why a proposal link cannot be used; `reason` is one of invalid, expired, superseded."""

    def __init__(self, reason: str, proposal: Proposal | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.proposal = proposal


@dataclass(frozen=True)
class OpenedLink:
    proposal: Proposal
    token: str


def make_token(proposal: Proposal) -> str:
    return signing.dumps({"p": proposal.pk, "v": proposal.version, "n": proposal.token_nonce}, salt=SALT)


def public_url(proposal: Proposal) -> str:
    return settings.SITE_URL + reverse("proposal_link:view", args=[proposal.pk, make_token(proposal)])


def open_link(proposal_id: int, token: str) -> OpenedLink:
    """The proposal a link opens, or LinkRefused saying why not."""
    max_age = TierSettings.current().proposal_link_days * 24 * 60 * 60
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkRefused("expired") from exc
    except signing.BadSignature as exc:
        raise LinkRefused("invalid") from exc
    if not isinstance(payload, dict) or payload.get("p") != proposal_id:
        raise LinkRefused("invalid")
    proposal = Proposal.objects.with_parts().filter(pk=proposal_id).first()
    if proposal is None or payload.get("v") != proposal.version or proposal.status == Proposal.Status.DRAFT:
        raise LinkRefused("invalid")
    if proposal.status == Proposal.Status.SUPERSEDED:
        raise LinkRefused("superseded", proposal)
    if payload.get("n") != proposal.token_nonce:
        raise LinkRefused("invalid")
    if proposal.status == Proposal.Status.SENT and proposal.expires_at and proposal.expires_at <= timezone.now():
        raise LinkRefused("expired", proposal)
    return OpenedLink(proposal=proposal, token=token)
