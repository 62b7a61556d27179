"""The client view's surveys: a stakeholder sees and answers only their own invitations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.access import client_required
from apps.retention.forms import SurveyAnswerForm
from apps.retention.models import SurveyInvitation
from apps.retention.surveys import SurveyRefused, answer_survey, invitation_for_token

REFUSED_STATUS = {"answered": 409, "expired": 410, "invalid": 404}


def _refused(request: HttpRequest, context: dict, reason: str) -> HttpResponse:
    return render(
        request, "retention/survey_refused.html", {**context, "reason": reason}, status=REFUSED_STATUS[reason]
    )


def answer_page(request: HttpRequest, invitation: SurveyInvitation, *, via: str, base: str) -> HttpResponse:
    """Shared by the client view and the signed link: refuse, show the form, or record the answer."""
    survey = invitation.survey
    context = {"invitation": invitation, "survey": survey, "base": base}
    if invitation.answered_at is not None:
        return _refused(request, context, "answered")
    if survey.expires_at <= timezone.now():
        return _refused(request, context, "expired")
    form = SurveyAnswerForm(request.POST or None, questions=survey.questions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor = request.user if request.user.is_authenticated else None
        try:
            answer_survey(
                invitation=invitation,
                nps=data.get("nps"),
                csat=data.get("csat"),
                comment=data["comment"],
                via=via,
                actor=actor,
            )
        except SurveyRefused as exc:
            return _refused(request, context, exc.reason)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return render(request, "retention/survey_thanks.html", context)
    return render(request, "retention/survey_answer.html", {**context, "form": form})


@require_GET
@client_required
def survey_list(request: HttpRequest) -> HttpResponse:
    invitations = SurveyInvitation.objects.visible_to(request.user).select_related("answer")
    return render(request, "retention/client/survey_list.html", {"invitations": invitations, "now": timezone.now()})


@require_http_methods(["GET", "POST"])
@client_required
def survey_answer(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(SurveyInvitation.objects.visible_to(request.user), pk=invitation_id)
    return answer_page(request, invitation, via="client", base="client/base.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def survey_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: no login; the signature names the invitation, the survey's expiry limits it."""
    invitation = invitation_for_token(token)
    if invitation is None:
        return _refused(request, {"base": "retention/_public_base.html"}, "invalid")
    return answer_page(request, invitation, via="link", base="retention/_public_base.html")
