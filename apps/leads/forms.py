"""Forms of the leads app: intake/edit (validated field by field over HTMX), list filters, override, status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator

from apps.core.text import CONTROL_MESSAGE, has_control_character
from apps.leads.bounds import MAX_CONTRACT_WEEKS, MAX_LINE_LENGTH, MAX_LIST_ITEMS, MAX_TEAM_SIZE, MAX_TIMELINE_WEEKS
from apps.leads.models import Lead, QualificationLevel, ServiceType
from apps.leads.scoring.facts import ANSWER_CHOICES
from apps.leads.selectors import DEFAULT_SORT, SORTS, LeadFilters

LIST_FIELDS = ["requirements", "technology_preferences", "compliance_requirements", "required_integrations"]
BOOLEAN_ANSWERS = {
    "existing_codebase": "Is there an existing codebase?",
    "infrastructure_plan": "Is there an infrastructure plan?",
    "success_criteria_defined": "Are success criteria defined?",
    "change_management_experience": "Has the team change-management experience?",
    "payment_terms_acceptable": "Are our payment terms acceptable?",
    "high_priority": "Is this a high-priority project for them?",
}
CHOICE_LABELS = {
    "project_documentation": "Project documentation",
    "requirements_clarity": "Requirements clarity",
    "timeline_urgency": "Timeline urgency",
    "stakeholder_alignment": "Stakeholder alignment",
    "budget_status": "Budget status",
    "decision_authority": "Decision authority",
    "change_readiness": "Change readiness",
    "team_availability": "Team availability",
    "communication_structure": "Communication structure",
}
NOT_ANSWERED = ("", "Not answered")
YES_NO = [NOT_ANSWERED, ("yes", "Yes"), ("no", "No")]


def _words(value: str) -> str:
    return value.replace("_", " ").capitalize()


class LinesField(forms.CharField):
    """A textarea where each non-empty line is one item of a list (bounded as the API bounds it)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value: Any) -> list[str]:
        # Each line is checked here: CharField's own NUL check would read the list's repr, where NUL is escaped.
        text = str(value) if value not in self.empty_values else ""
        items = []
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line:
                continue
            if has_control_character(line):
                raise forms.ValidationError(f"Line {number}: {CONTROL_MESSAGE}", code="control_character")
            if len(line) > MAX_LINE_LENGTH:
                raise forms.ValidationError(f"Line {number} is longer than {MAX_LINE_LENGTH} characters.")
            items.append(line)
        if len(items) > MAX_LIST_ITEMS:
            raise forms.ValidationError(f"At most {MAX_LIST_ITEMS} lines.", code="max_items")
        return items

    def run_validators(self, value: Any) -> None:
        """The lines were checked one by one in to_python."""


class LeadForm(forms.ModelForm):
    requirements = LinesField(required=False, help_text="One requirement per line.")
    technology_preferences = LinesField(required=False, help_text="One technology per line.")
    compliance_requirements = LinesField(required=False, help_text="One regime per line, e.g. HIPAA.")
    required_integrations = LinesField(required=False, help_text="One system per line.")
    contract_timeline_weeks = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_CONTRACT_WEEKS,
        label="Weeks until they can sign",
        help_text="Leave empty if unknown.",
    )

    GROUPS = [
        ("Organisation and contact", ["organization_name", "contact_name", "contact_email", "contact_phone", "owner"]),
        (
            "Project",
            [
                "service_type",
                "timeline_weeks",
                "complexity",
                "budget_usd",
                "team_size",
                "business_criticality",
                "requirements",
                "technology_preferences",
                "compliance_requirements",
                "required_integrations",
                "has_ui_requirements",
                "has_fallback_plan",
            ],
        ),
        ("Readiness answers (each optional)", [*BOOLEAN_ANSWERS, *CHOICE_LABELS, "contract_timeline_weeks"]),
    ]

    class Meta:
        model = Lead
        fields = [
            "organization_name",
            "contact_name",
            "contact_email",
            "contact_phone",
            "owner",
            "service_type",
            "timeline_weeks",
            "complexity",
            "budget_usd",
            "team_size",
            "business_criticality",
            "requirements",
            "technology_preferences",
            "compliance_requirements",
            "required_integrations",
            "has_ui_requirements",
            "has_fallback_plan",
        ]
        labels = {
            "budget_usd": "Budget (USD)",
            "team_size": "Their own developers",
            "timeline_weeks": "Requested timeline (weeks)",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(is_staff=True, is_active=True)
        self.fields["owner"].label = "Customer success manager"
        for name, label in BOOLEAN_ANSWERS.items():
            self.fields[name] = forms.ChoiceField(choices=YES_NO, required=False, label=label)
        for name, label in CHOICE_LABELS.items():
            choices = [NOT_ANSWERED, *((value, _words(value)) for value in ANSWER_CHOICES[name])]
            self.fields[name] = forms.ChoiceField(choices=choices, required=False, label=label)
        # The same upper bounds as the API (apps/leads/bounds.py); the model gives the lower ones.
        self._bound("timeline_weeks", MAX_TIMELINE_WEEKS)
        self._bound("team_size", MAX_TEAM_SIZE)
        self._initial_answers()
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.update(
                    {"class": "form-select" if isinstance(field.widget, forms.Select) else "form-control"}
                )

    def _bound(self, name: str, maximum: int) -> None:
        field = self.fields[name]
        field.max_value = maximum
        field.validators.append(MaxValueValidator(maximum))
        field.widget.attrs["max"] = maximum

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def _initial_answers(self) -> None:
        answers = (self.instance.answers if self.instance and self.instance.pk else None) or {}
        for name, value in answers.items():
            if name in BOOLEAN_ANSWERS:
                self.initial[name] = "yes" if value else "no"
            elif name in self.fields:
                self.initial[name] = value

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]

    def lead_data(self) -> dict[str, Any]:
        """cleaned_data as the services take it: the answers gathered into one dict, unanswered ones left out."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        answers: dict[str, Any] = {}
        for name in BOOLEAN_ANSWERS:
            if self.cleaned_data.get(name):
                answers[name] = self.cleaned_data[name] == "yes"
        for name in CHOICE_LABELS:
            if self.cleaned_data.get(name):
                answers[name] = self.cleaned_data[name]
        if self.cleaned_data.get("contract_timeline_weeks") is not None:
            answers["contract_timeline_weeks"] = self.cleaned_data["contract_timeline_weeks"]
        data["answers"] = answers
        return data


class LeadFilterForm(forms.Form):
    """The list's query string. Bad values are dropped rather than shown as errors: a filter link never breaks."""

    search = forms.CharField(required=False, max_length=100)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Lead.Status.choices])
    level = forms.ChoiceField(required=False)
    service_type = forms.ChoiceField(required=False, choices=[("", "Any service"), *ServiceType.choices])
    owner = forms.CharField(required=False, max_length=12)
    created_from = forms.DateField(required=False)
    created_to = forms.DateField(required=False)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [(row.key, row.label) for row in QualificationLevel.objects.all()]
        self.fields["level"].choices = [("", "Any level"), *levels, ("pending", "Scoring pending")]

    def clean_owner(self) -> str:
        owner = self.cleaned_data["owner"]
        # isdecimal, not isdigit: "²" is a digit but not a number int() can read.
        return owner if owner in ("me", "none") or (owner.isascii() and owner.isdecimal()) else ""

    def filters(self) -> LeadFilters:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        data.setdefault("sort", DEFAULT_SORT)
        return LeadFilters(**data)


class OverrideForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        min_length=10,
        max_length=2000,
        label="Why should this lead go on?",
        help_text="Recorded in the audit trail with your name.",
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s, Lead.Status(s).label) for s in (Lead.Status.PROPOSAL, Lead.Status.WON, Lead.Status.LOST)],
        widget=forms.Select(attrs={"class": "form-select"}),
        label="Move to",
    )
    lost_reason = forms.CharField(
        required=False,
        max_length=2000,
        label="Reason (when lost)",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
